import type { Case, Group } from '../model.ts';
import type { Variable } from '../target.ts';
import { expectRefusedAtStartup } from './refusal.ts';

/** A start-up that must fail: one clear line naming `variable`, a non-zero exit, no stack trace. */
const refused = (id: string, variable: Variable, env: (issuer: string) => Record<string, string>): Case => ({
  id,
  needs: [variable],
  title: `${id.replace(/-/g, ' ')}: start-up refused, naming ${variable}`,
  async run(ctx) {
    await expectRefusedAtStartup(ctx, env(ctx.issuer.url), variable);
  },
});

/** The contract's configuration table: read once, validated, and a clear refusal otherwise. */
export const config: Group = {
  id: 'config',
  instance: 'none',
  needs: ['restart'],
  cases: [
    refused('missing-issuer', 'JWT_ISSUER', () => ({})),
    refused('empty-issuer', 'JWT_ISSUER', () => ({ JWT_ISSUER: '' })),
    refused('algorithm-hs256', 'JWT_ALGORITHMS', (iss) => ({ JWT_ISSUER: iss, JWT_ALGORITHMS: 'HS256' })),
    refused('algorithm-none', 'JWT_ALGORITHMS', (iss) => ({ JWT_ISSUER: iss, JWT_ALGORITHMS: 'RS256,none' })),
    refused('algorithm-unknown', 'JWT_ALGORITHMS', (iss) => ({ JWT_ISSUER: iss, JWT_ALGORITHMS: 'RS257' })),
    refused('algorithm-lowercase', 'JWT_ALGORITHMS', (iss) => ({ JWT_ISSUER: iss, JWT_ALGORITHMS: 'rs256' })),
    refused('tolerance-not-a-number', 'JWT_CLOCK_TOLERANCE', (iss) => ({
      JWT_ISSUER: iss,
      JWT_CLOCK_TOLERANCE: 'five',
    })),
    refused('tolerance-negative', 'JWT_CLOCK_TOLERANCE', (iss) => ({
      JWT_ISSUER: iss,
      JWT_CLOCK_TOLERANCE: '-5',
    })),
    refused('jwks-uri-not-a-url', 'JWT_JWKS_URI', (iss) => ({ JWT_ISSUER: iss, JWT_JWKS_URI: 'not a url' })),
    refused('jwks-uri-not-http', 'JWT_JWKS_URI', (iss) => ({
      JWT_ISSUER: iss,
      JWT_JWKS_URI: 'file:///etc/passwd',
    })),
    refused('audience-empty-list', 'JWT_AUDIENCE', (iss) => ({ JWT_ISSUER: iss, JWT_AUDIENCE: ' , ' })),
    refused('port-not-a-number', 'PORT', (iss) => ({ JWT_ISSUER: iss, PORT: 'eighty' })),
  ],
};
