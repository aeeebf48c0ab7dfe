import type { Case, Group } from '../model.ts';
import type { Variable } from '../target.ts';
import { expectRefusedAtStartup } from './refusal.ts';

/** A start-up that must fail: one clear line naming `variable`, a non-zero exit, no stack trace. */
const refused = (
  id: string,
  variable: Variable,
  env: (issuer: string) => Record<string, string>,
  secret?: string,
): Case => ({
  id,
  needs: [variable],
  title: `${id.replace(/-/g, ' ')}: start-up refused, naming ${variable}${secret ? ', no password shown' : ''}`,
  async run(ctx) {
    await expectRefusedAtStartup(ctx, env(ctx.issuer.url), variable, { secret });
  },
});

const PASSWORD = 'hunter2-s3cret';
/** The issuer URL with a user name and password in it. */
const withCredentials = (url: string) => url.replace('://', `://gateway:${PASSWORD}@`);
/** Another environment of the gateway (a preview branch). */
const preview = (n: number) => `https://my-api-preview-${n}.zuplo.app/__zuplo/issuer`;

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
    refused('issuer-empty-entry', 'JWT_ISSUER', (iss) => ({ JWT_ISSUER: `${iss},,${preview(1)}` })),
    refused('issuer-repeated', 'JWT_ISSUER', (iss) => ({ JWT_ISSUER: `${iss}, ${iss}` })),
    refused('issuer-too-many', 'JWT_ISSUER', (iss) => ({
      JWT_ISSUER: [iss, ...Array.from({ length: 16 }, (_, i) => preview(i))].join(','),
    })),
    refused(
      'issuer-with-credentials',
      'JWT_ISSUER',
      (iss) => ({ JWT_ISSUER: withCredentials(iss) }),
      PASSWORD,
    ),
    refused('jwks-uri-with-two-issuers', 'JWT_JWKS_URI', (iss) => ({
      JWT_ISSUER: `${iss},${preview(1)}`,
      JWT_JWKS_URI: `${iss}/.well-known/jwks.json`,
    })),
    refused(
      'jwks-uri-with-credentials',
      'JWT_JWKS_URI',
      (iss) => ({ JWT_ISSUER: iss, JWT_JWKS_URI: withCredentials(`${iss}/.well-known/jwks.json`) }),
      PASSWORD,
    ),
  ],
};
