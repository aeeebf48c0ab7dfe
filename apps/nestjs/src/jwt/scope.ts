import { AuthError } from './errors.js';
import type { Claims } from './verifier.js';

/** RFC 6749 §3.3: `scope` is a space-separated string; items match exactly, case-sensitively. */
export function requireScope(claims: Claims, scope: string): void {
  if (typeof claims.scope !== 'string' || !claims.scope.split(' ').includes(scope))
    throw AuthError.insufficientScope(scope);
}
