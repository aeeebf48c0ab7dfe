import { defineNitroConfig } from 'nitropack/config';

// `pnpm build` is node-server; `build:bun`, `build:deno`, `build:workers` set NITRO_PRESET, which
// Nitro prefers to `preset` below. Each target builds into its own folder (dist/, ignored by git).
const preset = process.env.NITRO_PRESET ?? 'node-server';
const OUTPUT: Record<string, string> = {
  'node-server': '.output',
  bun: 'dist/bun',
  'deno-server': 'dist/deno',
  'cloudflare-module': 'dist/workers',
};

export default defineNitroConfig({
  compatibilityDate: '2025-07-15',
  preset: 'node-server',
  output: { dir: OUTPUT[preset] ?? `dist/${preset}` },
  // server/routes, server/plugins, server/utils; `~` points here.
  srcDir: 'server',
  // Explicit imports everywhere: each file says where defineEventHandler, createError... come from.
  imports: false,
  // Answers every error as {"error","message"} with the RFC 6750 headers (see server/error.ts).
  errorHandler: '~/error',
});
