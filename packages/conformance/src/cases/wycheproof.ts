import { type Alg, now } from '@repo/test-fixtures';
import type { Case, Group } from '../model.ts';
import type { Target } from '../target.ts';
import { carryGroupYielding } from '../wycheproof/carry.ts';
import { publishedKeys } from '../wycheproof/keys.ts';
import { plannedGroups } from '../wycheproof/plan.ts';
import { ROWS, type Row } from '../wycheproof/rows.ts';
import { checkAll } from '../wycheproof/send.ts';
import { SELECTION } from '../wycheproof/vectors.ts';

const algOf = (row: Row): Alg => SELECTION.find((s) => s.id === row.group)?.alg ?? 'RS256';
/** The vectors' algorithms this target claims: only those are configured and checked. */
const claimed = (target: Target): Alg[] =>
  [...new Set(ROWS.map(algOf))].filter((alg) => target.algorithms.includes(alg));

const toCase = (row: Row): Case => ({
  id: `${row.group}-${row.category}`,
  title: `Wycheproof ${row.title}`,
  notApplicable: (target) =>
    target.algorithms.includes(algOf(row)) ? undefined : `does not claim ${algOf(row)}`,
  async run(ctx) {
    const group = plannedGroups().find((g) => g.id === row.group);
    if (!group) throw new Error(`no Wycheproof group ${row.group}`);
    // The audience the group's backend was started with, if any (as ctx.mint puts it in).
    const aud = ctx.env.JWT_AUDIENCE?.split(',')[0]?.trim() || undefined;
    const carried = await carryGroupYielding(group, ctx.issuer.url, now(), row.category, aud);
    if (carried.length !== row.count)
      throw new Error(`${row.group} ${row.category}: ${carried.length} vectors carried`);
    await checkAll(ctx, carried);
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
    // The vectors' algorithms that the target claims, never more (a backend told to allow an
    // algorithm it does not support would rightly refuse to start).
    env: (issuer, target) => ({ JWT_ISSUER: issuer.url, JWT_ALGORITHMS: claimed(target).join(',') }),
  },
  cases: ROWS.map(toCase),
};
