import type { Group } from './model.ts';

/** Groups whose cases may run side by side with the rest of the suite, at most this many at once. */
export const LANES_AT_ONCE = 5;

/** A group with an issuer and an app of its own shares nothing with the others. */
export const ownsInstance = (group: Group): boolean => typeof group.instance === 'object';

/**
 * The suite as lanes that may run at once: first the groups that share the main and defaults
 * apps (or start none), in order, then each group with an instance of its own. Most of a run is
 * waiting out the contract's timeout, backoff and cooldown, so lanes side by side shorten it
 * without asking for more CPU. Within a lane, cases run in order.
 */
export function lanes(groups: readonly Group[]): Group[][] {
  const shared = groups.filter((group) => !ownsInstance(group));
  const own = groups.filter(ownsInstance).map((group) => [group]);
  return shared.length > 0 ? [shared, ...own] : own;
}

/** Runs `work` on every item, `limit` at a time, in order of start. */
export async function inParallel<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
