/**
 * What a failed expectation says the backend did, declared once: the matrix and the peers table
 * count and name failures by kind, never by their messages. `cell`: the short words of a table
 * cell; `heading`: what a count of cases with this kind means.
 */
export const KINDS = {
  'accepted-invalid-token': {
    cell: 'accepted',
    heading: 'let in a forged or invalid token, no token, or one without the scope',
  },
  'refused-valid-token': { cell: 'valid token refused', heading: 'refused a valid token (4xx)' },
  'server-error': { cell: '5xx', heading: 'answered 5xx' },
  'no-answer': { cell: 'no answer', heading: 'gave no answer (connection closed, hung, crashed)' },
  leaked: {
    cell: 'leaks token or stack',
    heading: 'put the token or a stack trace in an answer (or a password in its start-up output)',
  },
  'fetched-token-url': { cell: 'fetched a URL from the token', heading: 'fetched a URL named in a token' },
  'fetched-too-often': {
    cell: 'too many JWKS fetches',
    heading: 'fetched the JWKS more often than the contract allows (cache, cooldown, backoff)',
  },
  'key-from-bad-jwks': {
    cell: 'used a bad JWKS answer',
    heading:
      'followed a JWKS redirect, or let a token in with a key from a redirected, oversized or late JWKS answer',
  },
  'no-timeout': {
    cell: 'waits on a hung JWKS',
    heading:
      'made requests wait on a hung or failing JWKS (no 5 s timeout, no prompt 503, no answer from the cache)',
  },
  'keys-not-refreshed': {
    cell: 'keys not refreshed',
    heading: 'did not refresh its keys when the contract says (rotation, max age, outage)',
  },
  'started-with-bad-setting': {
    cell: 'starts anyway',
    heading: 'started with a setting it must refuse (or exited 0 on it)',
  },
  'bad-shutdown': { cell: 'bad shutdown', heading: 'dropped a request or exited non-zero on SIGTERM' },
  'wrong-status': { cell: 'wrong status', heading: "answered another status than the contract's" },
  'wrong-wording': {
    cell: 'wrong wording',
    heading: "answered with another body, challenge or headers than the contract's",
  },
  'did-not-start': { cell: 'did not start', heading: 'did not start with valid settings' },
  'case-error': { cell: 'suite error', heading: 'the case itself broke (a throw or a time-out)' },
} as const;

export type Kind = keyof typeof KINDS;
export const KIND_ORDER = Object.keys(KINDS) as Kind[];
