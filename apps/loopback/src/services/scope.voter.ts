import { AuthorizationDecision, type Authorizer } from '@loopback/authorization';
import { requireScope } from '../jwt/index.js';

/**
 * Voter for `@authorize({scopes: [...], voters: [scopeVoter]})`: ALLOW when the token's `scope`
 * claim holds every scope listed. A miss throws the core's 403 insufficient_scope instead of
 * voting DENY: the interceptor answers DENY with a bare "Access denied", and RFC 6750 §3.1 wants
 * a challenge that names the scope.
 */
export const scopeVoter: Authorizer = async ({ principals }, { scopes = [] }) => {
  for (const scope of scopes) requireScope(principals[0] ?? {}, scope);
  return AuthorizationDecision.ALLOW;
};
