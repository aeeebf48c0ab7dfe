import { defineEventHandler } from 'h3';

/** Readiness: no token needed, no JWKS fetch (the app starts even when the issuer is down). */
export default defineEventHandler(() => ({ status: 'ok' }));
