import { describe, expect, it } from 'vitest';
import { claims } from '../src/cases/claims.ts';
import { config } from '../src/cases/config.ts';
import { customHeader } from '../src/cases/custom-header.ts';
import { discovery } from '../src/cases/discovery.ts';
import { issuers } from '../src/cases/issuers.ts';
import type { Group } from '../src/model.ts';
import { type CaseResult, verdict } from '../src/results.ts';
import { runSuite } from '../src/runner.ts';
import { permissive } from './support.ts';

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
});
