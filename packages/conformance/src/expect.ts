import { contract, sameJson, security } from './check.ts';
import type { Reply } from './http.ts';
import type { Kind } from './kinds.ts';

export type ErrorCode = 'missing_token' | 'invalid_token' | 'insufficient_scope' | 'temporarily_unavailable';

const STATUS: Record<ErrorCode, number> = {
  missing_token: 401,
  invalid_token: 401,
  insufficient_scope: 403,
  temporarily_unavailable: 503,
};

// RFC 6750 §3: auth-param values are quoted-strings; a description may hold escaped quotes.
const INVALID_TOKEN_CHALLENGE =
  /^Bearer realm="api", error="invalid_token", error_description="(?:[^"\\]|\\.)*"$/;
const STACK_TRACE = /\n\s+at .+:\d+:\d+/;

/** What a refusal's wrong status means: below 400 the request got through; 5xx is its own kind. */
export const statusKind = (status: number): Kind =>
  status < 400 ? 'accepted-invalid-token' : status >= 500 ? 'server-error' : 'wrong-status';

/** The answer in one short line: status, challenge, the start of the body. */
export function describe(reply: Reply): string {
  const challenge = reply.headers.get('www-authenticate');
  const body = reply.text.replace(/\s+/g, ' ').slice(0, 100);
  return `${reply.status}${challenge ? ` [${challenge.slice(0, 80)}]` : ''}${body ? ` ${body}` : ''}`;
}

const isJson = (reply: Reply) => /^application\/json\b/.test(reply.headers.get('content-type') ?? '');

/** Nothing secret or internal in what went back: not the token, not a stack trace (security). */
export function assertNoLeak(reply: Reply, token: string | undefined): void {
  const everything = `${reply.text}\n${[...reply.headers].map(([k, v]) => `${k}: ${v}`).join('\n')}`;
  security('leaked', !STACK_TRACE.test(everything), 'a stack trace reached the client');
  if (!token) return;
  const echoed = [token, ...token.split('.')].some((part) => part.length >= 16 && everything.includes(part));
  security('leaked', !echoed, 'the response echoes the token');
}

/** A valid token: 2xx (security), then the contract's 200 body with `claims` in `user`. */
export function expectGranted(reply: Reply, claims: Record<string, unknown> = {}): void {
  assertNoLeak(reply, undefined);
  const refused = reply.status >= 500 ? 'server-error' : 'refused-valid-token';
  if (
    !security(
      refused,
      reply.status >= 200 && reply.status < 300,
      () => `a valid token got ${describe(reply)}`,
    )
  )
    return;
  contract('wrong-status', reply.status === 200, () => `expected 200, got ${reply.status}`);
  contract('wrong-wording', isJson(reply), () => `content-type ${reply.headers.get('content-type')}`);
  const body = reply.json as { message?: unknown; user?: Record<string, unknown> } | undefined;
  contract('wrong-wording', body?.message === 'Access granted', () => `body ${reply.text.slice(0, 100)}`);
  const user = typeof body?.user === 'object' && body.user !== null;
  if (!contract('wrong-wording', user, 'no user object in the body')) return;
  for (const [name, value] of Object.entries(claims)) {
    contract(
      'wrong-wording',
      sameJson(body?.user?.[name], value),
      () => `user.${name} is ${JSON.stringify(body?.user?.[name])}`,
    );
  }
}

/**
 * A refusal. Security: a 4xx (401 or 403 for a missing scope), or for an outage anything but a
 * grant; never the token or a stack trace. Contract: the exact status, challenge and body.
 */
export function expectError(reply: Reply, code: ErrorCode, token?: string): void {
  assertNoLeak(reply, token);
  const { status } = reply;
  const through = statusKind(status);
  if (code === 'temporarily_unavailable') {
    security('key-from-bad-jwks', status >= 400, () => `with no key available, got ${describe(reply)}`);
  } else if (code === 'insufficient_scope') {
    security(
      through,
      status === 403 || status === 401,
      () => `a token lacking the scope got ${describe(reply)}`,
    );
  } else {
    const what = code === 'missing_token' ? 'no usable credentials' : 'an invalid token';
    security(through, status >= 400 && status < 500, () => `${what} got ${describe(reply)}`);
  }
  const wanted = status === STATUS[code];
  if (!contract('wrong-status', wanted, () => `expected ${STATUS[code]} ${code}, got ${describe(reply)}`))
    return;
  contract('wrong-wording', isJson(reply), () => `content-type ${reply.headers.get('content-type')}`);
  const body = (reply.json ?? {}) as Record<string, unknown>;
  contract(
    'wrong-wording',
    sameJson(Object.keys(body).sort(), ['error', 'message']),
    () => `error body ${reply.text.slice(0, 100)}`,
  );
  contract(
    'wrong-wording',
    body.error === code,
    () => `body error ${JSON.stringify(body.error)}, expected ${code}`,
  );
  contract(
    'wrong-wording',
    typeof body.message === 'string' && body.message.trim().length > 0,
    'the body has no message sentence',
  );
  const challenge = reply.headers.get('www-authenticate');
  const shown = `WWW-Authenticate: ${challenge}`;
  const wording = (ok: boolean, message: string) => contract('wrong-wording', ok, message);
  if (code === 'missing_token') wording(challenge === 'Bearer realm="api"', shown);
  if (code === 'invalid_token') wording(INVALID_TOKEN_CHALLENGE.test(challenge ?? ''), shown);
  if (code === 'insufficient_scope') {
    wording(challenge === 'Bearer realm="api", error="insufficient_scope", scope="admin"', shown);
  }
  if (code === 'temporarily_unavailable') {
    wording(challenge === null, `a 503 carries no challenge (${shown})`);
    wording(/^\d+$|GMT$/.test(reply.headers.get('retry-after') ?? ''), 'a 503 carries Retry-After');
  }
}

export const expectInvalid = (reply: Reply, token?: string) => expectError(reply, 'invalid_token', token);
export const expectMissing = (reply: Reply) => expectError(reply, 'missing_token');

/** A request that must not break the server: any answer but a 5xx (security). */
export function expectNoServerError(reply: Reply, token?: string): void {
  assertNoLeak(reply, token);
  security('server-error', reply.status < 500, () => `got ${describe(reply)}`);
}
