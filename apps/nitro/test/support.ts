import type { Algorithm, Config } from '../server/utils/config';
import { ApiError } from '../server/utils/errors';

/** The error code a promise rejects with, or 'ok'. */
export function outcome(promise: Promise<unknown>): Promise<string> {
  return promise.then(
    () => 'ok',
    (error: unknown) => (error instanceof ApiError ? error.code : `unexpected: ${String(error)}`),
  );
}

export function testConfig(issuer: string, jwksUri: string, overrides: Partial<Config> = {}): Config {
  const algorithms: Algorithm[] = ['RS256', 'RS384', 'PS256', 'ES256', 'ES384', 'EdDSA'];
  return { port: 0, issuer, jwksUri, audiences: undefined, algorithms, clockTolerance: 5, ...overrides };
}
