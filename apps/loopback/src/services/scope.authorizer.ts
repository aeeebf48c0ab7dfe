import {
  type AuthorizationContext,
  AuthorizationDecision,
  type AuthorizationMetadata,
  type Authorizer,
} from '@loopback/authorization';
import { AuthError } from '../errors';

/**
 * The scopes a principal holds: the `scope` claim, a space-separated STRING (RFC 8693 §4.2,
 * RFC 6749 §3.3). Anything else (an array, a number) grants nothing; matching is exact and
 * case-sensitive.
 */
export function grantedScopes(principal: Record<string, unknown> | undefined): Set<string> {
  const scope = principal?.scope;
  return new Set(typeof scope === 'string' ? scope.split(' ').filter(Boolean) : []);
}

/**
 * Voter for `@authorize({scopes: [...], voters: [requireScopes]})`: ALLOW when the token holds
 * every scope the method lists. On a miss it throws instead of voting DENY, because the
 * interceptor's generic "Access denied" error cannot carry what RFC 6750 §3.1 asks for: a 403
 * insufficient_scope challenge naming the scope that is needed.
 */
export const requireScopes: Authorizer = async (
  context: AuthorizationContext,
  metadata: AuthorizationMetadata,
) => {
  const required = metadata.scopes ?? [];
  const granted = grantedScopes(context.principals[0]);
  if (required.every((scope) => granted.has(scope))) return AuthorizationDecision.ALLOW;
  throw AuthError.insufficientScope(required.join(' '));
};
