import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import copies from '../scripts/copies.json' with { type: 'json' };

const root = new URL('../../../', import.meta.url);
const src = new URL('../src/', import.meta.url);
const files = readdirSync(src).sort();

// Each app carries the core as a byte-for-byte copy; `pnpm sync-verifier` makes them so.
describe.each(copies)('the copy in %s', (folder) => {
  const target = new URL(`${folder}/`, root);

  it('exists and holds exactly the files of src/', () => {
    expect(existsSync(target), `${folder} is missing: run pnpm sync-verifier`).toBe(true);
    expect(readdirSync(target).sort(), `${folder} has other files than src/: run pnpm sync-verifier`).toEqual(
      files,
    );
  });

  it.each(files)('%s is identical to src/', (file) => {
    const copy = new URL(file, target);
    expect(existsSync(copy), `${folder}/${file} is missing`).toBe(true);
    const same = readFileSync(copy).equals(readFileSync(new URL(file, src)));
    expect(
      same,
      `${folder}/${file} differs from packages/verifier/src/${file}: edit src/, then pnpm sync-verifier`,
    ).toBe(true);
  });
});
