import { describe, expect, it } from 'vitest';
import { claims } from '../src/cases/claims.ts';
import { config } from '../src/cases/config.ts';
import { customHeader } from '../src/cases/custom-header.ts';
import { discovery } from '../src/cases/discovery.ts';
import { issuers } from '../src/cases/issuers.ts';
import type { Group } from '../src/model.ts';
import { type CaseResult, verdict } from '../src/results.ts';
import { runSuite } from '../src/runner.ts';
import { misbehaving, permissive } from './support.ts';

const only = (group: Group, ids: string[]): Group => ({
  ...group,
  cases: group.cases.filter((c) => ids.includes(c.id)),
});

// Issue #19's cases against a backend that verifies nothing, reads only `Authorization` and
// fetches nothing: each case that judges a refusal must fail, under the security profile too.
describe('the several-issuers, discovery and header cases catch a backend that never verifies', () => {
  it('fails each of them, and passes those a grant satisfies', async () => {
    const groups = [
      issuers,
      discovery,
      customHeader,
      only(claims, ['times-not-finite']),
      only(config, ['issuer-empty-entry', 'issuer-repeated', 'issuer-too-many', 'issuer-with-credentials']),
      only(config, ['jwks-uri-with-two-issuers', 'jwks-uri-with-credentials']),
    ];
    const run = await runSuite({ ...permissive, routes: { scope: null } }, {}, groups);
    const security = Object.fromEntries(
      run.results.map((r) => [`${r.group}/${r.id}`, verdict(r as CaseResult, 'security')]),
    );
    const granted = [
      'issuers/each-issuer-accepted',
      'discovery/jwks-uri-elsewhere',
      'discovery/not-found-fallback',
    ];
    const expected = Object.fromEntries(
      Object.keys(security).map((id) => [id, granted.includes(id) ? 'ok' : 'failed']),
    );
    expect(security).toEqual(expected);
    expect(Object.keys(security)).toHaveLength(21);
  }, 120_000);

  it('fails the cases that forbid a fetch, on a backend that fetches whatever a token or a document names', async () => {
    const forbidden = [
      'unlisted-issuer-not-fetched',
      'issuer-mismatch',
      'issuer-of-another',
      'redirect-not-followed',
      'http-jwks-uri-refused',
    ];
    const groups = [only(issuers, forbidden), only(discovery, forbidden)];
    const run = await runSuite(misbehaving('trusting'), {}, groups);
    expect(run.results.map((r) => [r.id, verdict(r, 'security')])).toEqual(
      forbidden.map((id) => [id, 'failed']),
    );
    const kinds = new Set(
      run.results.flatMap((r) => r.failures.filter((f) => f.profile === 'security').map((f) => f.kind)),
    );
    expect(kinds).toContain('fetched-token-url');
    expect(kinds).toContain('key-from-bad-jwks');
  }, 120_000);
});
