import { defineNitroConfig } from 'nitropack/config';

export default defineNitroConfig({
  compatibilityDate: '2025-07-15',
  preset: 'node-server',
  // server/routes, server/plugins, server/utils; `~` points here.
  srcDir: 'server',
  // Explicit imports everywhere: each file says where defineEventHandler, createError... come from.
  imports: false,
  // Answers every error as {"error","message"} with the RFC 6750 headers (see server/error.ts).
  errorHandler: '~/error',
});
