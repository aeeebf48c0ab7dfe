/**
 * The same variables our apps read (docs/contract.md), so the harness starts peers exactly like
 * apps. Peers are benchmark subjects written the way other libraries' docs show, not examples to copy.
 */
const issuer = process.env.JWT_ISSUER;
if (!issuer) {
  console.error('JWT_ISSUER is required');
  process.exit(1);
}

export const env = {
  port: Number(process.env.PORT ?? 3100),
  issuer,
  jwksUri: process.env.JWT_JWKS_URI ?? `${issuer.replace(/\/$/, '')}/.well-known/jwks.json`,
  algorithms: (process.env.JWT_ALGORITHMS ?? 'RS256').split(',').map((a) => a.trim()),
};
