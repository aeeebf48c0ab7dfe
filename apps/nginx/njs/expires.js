// X-Accel-Expires for an entry that must be gone by a given time. nginx stores the entry as valid
// until `ngx_time() + N` and keeps it through that whole second: it ends at the start of second
// floor(stored) + N + 1. So the largest safe N is floor(until) - floor(now) - 1, with `now` taken
// 100 ms late in case nginx stores the entry in the next second. 0 means "do not store".

/** Whole seconds (0 or more) an nginx cache entry may live so it is gone by `until` (seconds). */
function secondsUntil(until, now) {
  const n = Math.floor(until) - Math.floor(now + 0.1) - 1;
  return n > 0 ? n : 0;
}

export default { secondsUntil };
