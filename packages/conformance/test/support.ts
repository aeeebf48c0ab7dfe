import { fileURLToPath } from 'node:url';
import type { Target } from '../src/target.ts';

export const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));

/** One of test/fixtures/misbehaving.mjs's backends, misbehaving in the way `mode` names. */
export const misbehaving = (mode: string, extra: Partial<Target> = {}): Target => ({
  name: mode,
  command: ['node', 'test/fixtures/misbehaving.mjs'],
  cwd: PACKAGE_DIR,
  algorithms: ['RS256'],
  ...extra,
  env: { MODE: mode, ...extra.env },
});

/** The deliberately permissive backend: it decodes tokens and never verifies them. */
export const permissive: Target = {
  name: 'permissive',
  command: ['node', 'test/fixtures/permissive-server.mjs'],
  cwd: PACKAGE_DIR,
  algorithms: ['RS256'],
};
