import assert from 'node:assert/strict';
import { now } from '@repo/test-fixtures';
import type { Case, Group } from '../model.ts';
import { carryGroup } from '../wycheproof/carry.ts';
import { publishedKeys } from '../wycheproof/keys.ts';
import { plannedGroups } from '../wycheproof/plan.ts';
import { ROWS, type Row } from '../wycheproof/rows.ts';
import { checkAll, report } from '../wycheproof/send.ts';

const ALGORITHMS = 'RS256,PS256,ES256';

const toCase = (row: Row): Case => ({
  id: `${row.group}-${row.category}`,
  title: `Wycheproof ${row.title}`,
  async run(ctx) {
    const group = plannedGroups().find((g) => g.id === row.group);
    assert.ok(group, `no Wycheproof group ${row.group}`);
    const carried = carryGroup(group, ctx.issuer.url, now(), row.category);
    assert.equal(carried.length, row.count, `${row.group} ${row.category}: vectors carried`);
    const failures = await checkAll(ctx, carried);
    assert.ok(failures.length === 0, report(failures, carried.length));
    return `${carried.length} vectors`;
  },
});

/**
 * Wycheproof's JWS vectors (C2SP/wycheproof), each carried onto a claims payload from this
 * group's own issuer, which publishes exactly the vectors' public keys under their kids.
 */
export const wycheproof: Group = {
  id: 'wycheproof',
  instance: {
    issuer: { algorithms: [] },
    async beforeStart(issuer) {
      for (const key of publishedKeys(plannedGroups().map((g) => g.keys))) issuer.add(key);
    },
    env: (issuer) => ({ JWT_ISSUER: issuer.url, JWT_ALGORITHMS: ALGORITHMS }),
  },
  cases: ROWS.map(toCase),
};
