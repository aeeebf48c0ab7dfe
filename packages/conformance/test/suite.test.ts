import { describe, expect, it } from 'vitest';
import { defaults } from '../src/cases/defaults.ts';
import { forgeries } from '../src/cases/forgeries.ts';
import { headerKeys } from '../src/cases/header-keys.ts';
import { routes } from '../src/cases/routes.ts';
import { formatMatrix } from '../src/matrix.ts';
import type { Group } from '../src/model.ts';
import { type CaseResult, verdict } from '../src/results.ts';
import { runSuite } from '../src/runner.ts';
import { misbehaving, permissive } from './support.ts';

describe('the suite catches a backend that never verifies', () => {
  it('fails every forgery case under both profiles, passes the plain ones, and keeps every failed token', async () => {
    const target = {
      ...permissive,
      routes: { scope: null },
      notApplicable: { 'header-keys/crit-unknown': 'told so' },
    };
    const run = await runSuite(target, {}, [routes, forgeries, headerKeys]);
    const byId = Object.fromEntries(run.results.map((r) => [`${r.group}/${r.id}`, r]));
    const v = (id: string, p: 'security' | 'contract' = 'contract') => verdict(byId[id] as CaseResult, p);
    expect(v('routes/health')).toBe('ok');
    expect(v('routes/protected-granted')).toBe('ok');
    expect([v('routes/admin-granted'), byId['routes/admin-granted']?.notApplicable]).toEqual([
      'not applicable',
      'the backend has no scope route',
    ]);
    expect(byId['header-keys/crit-unknown']?.notApplicable).toBe('told so');
    for (const c of [...forgeries.cases, ...headerKeys.cases]) {
      if (c.id === 'crit-unknown') continue;
      const id = byId[`forgeries/${c.id}`] ? `forgeries/${c.id}` : `header-keys/${c.id}`;
      expect(v(id, 'security'), id).toBe('failed');
    }
    // Every one of the 12 "none" tokens is recorded, not only the first, as a token let in
    // (a kind, not a message), each with the token's label.
    const none = byId['forgeries/alg-none']?.failures.filter((f) => f.kind === 'accepted-invalid-token');
    expect(none).toHaveLength(12);
    expect(none?.every((f) => f.profile === 'security' && f.message.startsWith(`${f.label}: `))).toBe(true);
  }, 60_000);
});

describe('the matrix', () => {
  const r = (id: string, failures: CaseResult['failures'], notApplicable?: string): CaseResult => ({
    group: 'g',
    id,
    title: id,
    theme: 'errors',
    failures,
    notApplicable,
    ms: 1,
  });
  const runs = [
    {
      target: 'a',
      profile: 'contract' as const,
      startedAt: '',
      seconds: 1,
      results: [
        r('x', []),
        r('y', [{ profile: 'contract' as const, kind: 'wrong-wording' as const, message: 'body' }]),
      ],
    },
    {
      target: 'b',
      profile: 'contract' as const,
      startedAt: '',
      seconds: 1,
      results: [r('x', []), r('y', [], 'no scope route')],
    },
  ];

  it('closes with the N passed, N failed line; not applicable is counted as neither', () => {
    const text = formatMatrix(runs);
    expect(text.split('\n').at(-1)).toBe('2 passed, 1 failed');
    expect(text).toMatch(/g\/y\s+FAIL: wrong wording\s+not applicable/);
    expect(text).toContain('b g/y: no scope route');
  });

  it('judges by the profile asked for: a contract-only difference passes security', () => {
    expect(formatMatrix(runs, 'security').split('\n').at(-1)).toBe('3 passed, 0 failed');
  });
});

describe('a backend that requires an audience', () => {
  it('gets target.audience where a group sets none, in its environment and in every token', async () => {
    const seen: unknown[] = [];
    const group: Group = {
      id: 'own',
      instance: {},
      cases: [
        {
          id: 'c',
          title: 'c',
          async run(ctx) {
            const { env } = (await ctx.get('/health')).json as { env: Record<string, string> };
            const aud = JSON.parse(Buffer.from(ctx.mint().split('.')[1] ?? '', 'base64url').toString()).aud;
            seen.push(env.JWT_AUDIENCE, aud);
          },
        },
      ],
    };
    const run = await runSuite(misbehaving('env', { audience: 'api://pinned' }), {}, [group, defaults]);
    expect(seen).toEqual(['api://pinned', 'api://pinned']);
    expect(run.results.filter((r) => r.group === 'defaults').map((r) => r.notApplicable)).toEqual(
      defaults.cases.map(() => 'it requires an audience; this group sets JWT_ISSUER alone'),
    );
  }, 30_000);
});
