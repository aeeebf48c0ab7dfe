import type { JsonWebKey } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** One JWS test of `json_web_signature_test.json` (schema: `json_web_signature_schema_v1.json`). */
export interface Vector {
  tcId: number;
  comment: string;
  jws: string;
  result: 'valid' | 'invalid' | 'acceptable';
  flags: string[];
}

type VectorJwk = JsonWebKey & { kid: string; alg: string };

export interface VectorGroup {
  comment: string;
  private: VectorJwk;
  public: VectorJwk;
  tests: Vector[];
}

/**
 * The four groups carried onto HTTP, told apart by comment, key id and algorithm (the file
 * has several `rs256` groups; this one is the 226-case group of padding variants).
 */
export const SELECTION = [
  { id: 'rs256', comment: 'rs256', kid: 'kid-rsa-sign', alg: 'RS256', count: 226 },
  { id: 'ps256', comment: 'ps256', kid: 'PS256_2048', alg: 'PS256', count: 48 },
  { id: 'es256', comment: 'es256', kid: 'kid-ec-sign', alg: 'ES256', count: 15 },
  { id: 'es256-special', comment: 'SpecialCaseEs256', kid: 'kid-ec-sign', alg: 'ES256', count: 24 },
] as const;

export type GroupId = (typeof SELECTION)[number]['id'];
export type VectorAlg = (typeof SELECTION)[number]['alg'];

export interface SelectedGroup {
  id: GroupId;
  alg: VectorAlg;
  group: VectorGroup;
}

const FILE = 'json_web_signature_test.json';

/**
 * `WYCHEPROOF_DIR`, or this package's `vectors/` (shipped in the npm tarball too): the first
 * `vectors/` holding the file, looking up from this module (`src/wycheproof/` in the repository,
 * `dist/` once built).
 */
export function wycheproofDir(): string {
  const override = process.env.WYCHEPROOF_DIR;
  if (override) return resolve(override);
  const start = dirname(fileURLToPath(import.meta.url));
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'vectors', FILE))) return join(dir, 'vectors');
    if (dirname(dir) === dir) throw new Error(`no vectors/${FILE} above ${start}: set WYCHEPROOF_DIR`);
  }
}

const cache = new Map<string, SelectedGroup[]>();

/** The selected groups, each checked for its case count: a missing file or group throws, never skips. */
export function selectedGroups(): SelectedGroup[] {
  const path = join(wycheproofDir(), FILE);
  const known = cache.get(path);
  if (known) return known;
  if (!existsSync(path)) {
    throw new Error(
      `Wycheproof vectors not found at ${path} (set WYCHEPROOF_DIR to the folder holding ${FILE})`,
    );
  }
  const file = JSON.parse(readFileSync(path, 'utf8')) as { testGroups: VectorGroup[] };
  const selected = SELECTION.map(({ id, comment, kid, alg, count }) => {
    const matches = file.testGroups.filter(
      (g) => g.comment === comment && g.public?.kid === kid && g.public?.alg === alg,
    );
    const group = matches[0];
    if (matches.length !== 1 || !group) {
      throw new Error(`${path}: expected one ${comment} group with kid ${kid}, found ${matches.length}`);
    }
    if (group.tests.length !== count) {
      throw new Error(`${path}: the ${id} group has ${group.tests.length} cases, expected ${count}`);
    }
    return { id, alg, group };
  });
  cache.set(path, selected);
  return selected;
}
