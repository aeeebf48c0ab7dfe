#!/usr/bin/env node
// The package's bin, committed so that it exists at install time (pnpm links bins before any
// build). Inside the repository it runs the source through tsx, always current; the packed
// tarball has no source and runs the bundled `dist/cli.js`.
import { existsSync } from 'node:fs';

const source = new URL('../src/cli.ts', import.meta.url);
if (existsSync(source)) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(source.href);
} else {
  await import(new URL('../dist/cli.js', import.meta.url).href);
}
