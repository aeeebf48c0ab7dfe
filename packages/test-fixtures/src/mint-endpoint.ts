import type { IncomingMessage } from 'node:http';
import { isAlg } from './algorithms.ts';
import type { MockIssuer } from './issuer.ts';
import { type Claims, now, prune } from './mint.ts';

/** What `pnpm mint` sends: the few claims a person tweaks by hand. */
export interface TokenRequest {
  sub?: string;
  scope?: string;
  aud?: string;
  /** Default: the issuer's `defaultAlg` (EdDSA, as the gateway), or its first key without one. */
  alg?: string;
  /** Lifetime in seconds from now (negative for an expired token). */
  exp?: number;
  /** More claims, as the gateway policy's `additionalClaims`; the fields above win. */
  claims?: Claims;
}

const isObject = (value: unknown): value is Claims =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * `POST /__mock/token`: lets the CLI and `pnpm dev` mint from an issuer running in another
 * process, since its keys live only in that process's memory.
 */
export async function handleMintRequest(
  issuer: MockIssuer,
  req: IncomingMessage,
  json: (status: number, body: unknown) => void,
): Promise<void> {
  let body: TokenRequest;
  try {
    let text = '';
    for await (const chunk of req) text += chunk;
    body = JSON.parse(text || '{}') as TokenRequest;
  } catch {
    return json(400, { error: 'invalid_request', message: 'The body is not JSON.' });
  }
  if (!isObject(body) || (body.claims !== undefined && !isObject(body.claims))) {
    return json(400, { error: 'invalid_request', message: 'The body and its claims must be JSON objects.' });
  }
  const { alg } = body;
  if (alg !== undefined && (!isAlg(alg) || !issuer.keys.some((k) => k.alg === alg))) {
    return json(400, { error: 'invalid_request', message: `This issuer has no ${alg} key.` });
  }
  const claims = prune({
    ...body.claims,
    sub: body.sub,
    scope: body.scope,
    aud: body.aud,
    exp: body.exp === undefined ? undefined : now() + Number(body.exp),
  });
  json(200, { token: issuer.mint(claims, alg === undefined ? {} : { alg }) });
}

/** The client side of the endpoint above. */
export async function requestToken(origin: string, request: TokenRequest): Promise<string> {
  const res = await fetch(`${origin}/__mock/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(request),
    signal: AbortSignal.timeout(5000),
  });
  const body = (await res.json()) as { token?: string; message?: string };
  if (!res.ok || !body.token) throw new Error(body.message ?? `the mock issuer answered ${res.status}`);
  return body.token;
}
