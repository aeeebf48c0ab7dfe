import type { LoadEvent, LoadSpec } from './load-worker.ts';
import type { RunningServer } from './server.ts';
import type { RunResult } from './types.ts';
import { runWorker } from './worker.ts';

export interface LoadOutcome {
  /** Timed runs (the warm-up is not among them). */
  runs: RunResult[];
  /** Pool tokens used, warm-up included. */
  sent: number;
}

/**
 * Runs the load generator as its own process on `core`, and reads the server's CPU time at the
 * start and end of every run so each result says how busy the server was.
 */
export async function runLoad(
  spec: LoadSpec,
  server: RunningServer,
  core: number | null,
): Promise<LoadOutcome> {
  const runs: RunResult[] = [];
  let sent = 0;
  let started = { cpu: 0, at: 0 };
  await runWorker('load-worker.ts', spec, core, (line) => {
    const e = line as LoadEvent;
    if (e.event === 'start') started = { cpu: server.cpuSeconds(), at: performance.now() };
    if (e.event === 'end' && e.result && (e.index ?? 0) >= 0) {
      const wall = (performance.now() - started.at) / 1000;
      runs.push({ ...e.result, serverCpu: (server.cpuSeconds() - started.cpu) / wall });
    }
    if (e.event === 'done') sent = e.sent ?? 0;
  });
  return { runs, sent };
}
