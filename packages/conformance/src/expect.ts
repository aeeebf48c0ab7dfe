import assert from 'node:assert/strict';
import type { Reply } from './http.ts';

export type ErrorCode = 'missing_token' | 'invalid_token' | 'insufficient_scope' | 'temporarily_unavailable';

const STATUS: Record<ErrorCode, number> = {
  missing_token: 401,
  invalid_token: 401,
  insufficient_scope: 403,
  temporarily_unavailable: 503,
};

// RFC 6750 §3: auth-param values are quoted-strings; a description may hold escaped quotes.
const INVALID_TOKEN_CHALLENGE = /^Bearer realm="api", error="invalid_token", error_description="(?:[^"\\]|\\.)*"$/;

function describe(reply: Reply): string {
  return `${reply.status} ${reply.headers.get('www-authenticate') ?? ''} ${reply.text.slice(0, 300)}`;
}

function assertJson(reply: Reply): void {
  assert.match(reply.headers.get('content-type') ?? '', /^application\/json\b/, `content-type: ${describe(reply)}`);
}

/** Nothing secret or internal in what went back: not the token, not a stack trace. */
export function assertNoLeak(reply: Reply, token: string | undefined): void {
  const everything = `${reply.text}\n${[...reply.headers].map(([k, v]) => `${k}: ${v}`).join('\n')}`;
  assert.doesNotMatch(everything, /\n\s+at .+:\d+:\d+/, 'a stack trace reached the client');
  if (!token) return;
  for (const part of [token, ...token.split('.')]) {
    if (part.length >= 16) assert.ok(!everything.includes(part), 'the response echoes the token');
  }
}

/** 200 with the contract's body; `claims` must appear in `user`. */
export function expectGranted(reply: Reply, claims: Record<string, unknown> = {}): void {
  assert.equal(reply.status, 200, `expected 200, got ${describe(reply)}`);
  assertJson(reply);
  const body = reply.json as { message?: unknown; user?: Record<string, unknown> };
  assert.equal(body?.message, 'Access granted');
  assert.equal(typeof body.user, 'object');
  for (const [name, value] of Object.entries(claims)) assert.deepEqual(body.user?.[name], value, `user.${name}`);
}

/** The contract's error answer for `code`, exactly: status, challenge, body. */
export function expectError(reply: Reply, code: ErrorCode, token?: string): void {
  assert.equal(reply.status, STATUS[code], `expected ${STATUS[code]} ${code}, got ${describe(reply)}`);
  assertJson(reply);
  const body = reply.json as Record<string, unknown>;
  assert.deepEqual(Object.keys(body ?? {}).sort(), ['error', 'message'], `error body: ${reply.text}`);
  assert.equal(body.error, code);
  assert.ok(typeof body.message === 'string' && body.message.trim().length > 0, 'message is a sentence');
  const challenge = reply.headers.get('www-authenticate');
  if (code === 'missing_token') assert.equal(challenge, 'Bearer realm="api"');
  if (code === 'invalid_token') assert.match(challenge ?? '', INVALID_TOKEN_CHALLENGE);
  if (code === 'insufficient_scope') {
    assert.equal(challenge, 'Bearer realm="api", error="insufficient_scope", scope="admin"');
  }
  if (code === 'temporarily_unavailable') {
    assert.equal(challenge, null, 'a 503 carries no challenge');
    assert.match(reply.headers.get('retry-after') ?? '', /^\d+$|GMT$/, 'a 503 carries Retry-After');
  }
  assertNoLeak(reply, token);
}

export const expectInvalid = (reply: Reply, token?: string) => expectError(reply, 'invalid_token', token);
export const expectMissing = (reply: Reply) => expectError(reply, 'missing_token');
