import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { forgeries } from '../src/cases/forgeries.ts';
import { headerKeys } from '../src/cases/header-keys.ts';
import { routes } from '../src/cases/routes.ts';
import { formatMatrix } from '../src/matrix.ts';
import { runSuite } from '../src/runner.ts';

const permissive = {
  name: 'permissive',
  command: ['node', 'test/fixtures/permissive-server.mjs'],
  cwd: fileURLToPath(new URL('..', import.meta.url)),
  algorithms: ['RS256'] as const,
};

describe('the suite catches a backend that never verifies', () => {
  it('fails every forgery case and passes the plain ones', async () => {
    const run = await runSuite(permissive, {}, [routes, forgeries, headerKeys]);
    const verdict = Object.fromEntries(run.results.map((r) => [`${r.group}/${r.id}`, r.ok]));
    expect(verdict['routes/health']).toBe(true);
    expect(verdict['routes/protected-granted']).toBe(true);
    for (const c of [...forgeries.cases, ...headerKeys.cases]) {
      expect(verdict[`forgeries/${c.id}`] ?? verdict[`header-keys/${c.id}`], c.id).toBe(false);
    }
  }, 60_000);
});

describe('the matrix', () => {
  it('closes with the N passed, N failed line', () => {
    const r = (id: string, ok: boolean) => ({ group: 'g', id, title: id, ok, ms: 1 });
    const text = formatMatrix([
      { target: 'a', startedAt: '', seconds: 1, results: [r('x', true), r('y', false)] },
      { target: 'b', startedAt: '', seconds: 1, results: [r('x', true), r('y', true)] },
    ]);
    expect(text.split('\n').at(-1)).toBe('3 passed, 1 failed');
    expect(text).toMatch(/g\/y\s+FAIL\s+ok/);
  });
});
