import pLimit from 'p-limit';
import type { Group } from './model.ts';

/** Groups that are not `paced` run this many at a time. */
export const BUSY_AT_ONCE = 1;

/** Runs one group; calls `up` once its app is up (or failed to start, or none is needed). */
export type RunGroup = (group: Group, up: () => void) => Promise<void>;

/**
 * Runs every group, in this order. The groups that mostly wait (timeouts, backoff, the 30 s
 * cooldown) run side by side, but start one after another, each once the app of the one before
 * is up (a start-up is CPU, and several at once delay each other): the longest chain
 * (`paced: 'first'`) first, then the suite's order. Once the longest chain's app is up, the
 * others, whose time is CPU on this machine and the backend's, take turns one at a time beside
 * them, so that the timed cases keep their pace. A backend started by hand (`byUrl`) is one app
 * for every group: one after another.
 */
export async function schedule(groups: Group[], byUrl: boolean, run: RunGroup): Promise<void> {
  const paced = (g: Group) => Boolean(g.paced) && !byUrl;
  const starts = groups
    .filter(paced)
    .sort((a, b) => Number(b.paced === 'first') - Number(a.paced === 'first'));
  let allUp = Promise.resolve();
  let firstUp = allUp;
  const runs = starts.map((g) => {
    const turn = allUp;
    let up = () => {};
    allUp = new Promise((resolve) => {
      up = resolve;
    });
    if (g.paced === 'first') firstUp = allUp;
    return turn.then(() => run(g, up));
  });
  const byTurns = pLimit(byUrl ? 1 : BUSY_AT_ONCE);
  for (const g of groups.filter((g) => !paced(g)))
    runs.push(firstUp.then(() => byTurns(() => run(g, () => {}))));
  await Promise.all(runs);
}
