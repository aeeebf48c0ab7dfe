/**
 * `pnpm sync-verifier`: copies src/ byte for byte into each Node app's folder (copies.json),
 * creating the folder and removing files there that src/ no longer has. The copies are never
 * edited: change src/, run this, commit both. test/copies.test.ts fails when they differ.
 */
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';

const root = new URL('../../../', import.meta.url);
const src = new URL('../src/', import.meta.url);
const copies = JSON.parse(readFileSync(new URL('copies.json', import.meta.url), 'utf8'));
const files = readdirSync(src);

for (const folder of copies) {
  const target = new URL(`${folder}/`, root);
  mkdirSync(target, { recursive: true });
  for (const stale of readdirSync(target))
    if (!files.includes(stale)) rmSync(new URL(stale, target), { recursive: true });
  for (const file of files) copyFileSync(new URL(file, src), new URL(file, target));
  console.log(`${folder}: ${files.length} files`);
}
