import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Where the server and the load generator run; `null` cores mean "not pinned". */
export interface Pinning {
  server: number | null;
  load: number | null;
  /** One line for the report: how the two were placed, or why they were not. */
  summary: string;
}

/** Parses a Linux CPU list such as `0-1`, `0,2-3` or `5` into core numbers. */
export function parseCpuList(text: string): number[] {
  const cores = new Set<number>();
  for (const part of text.trim().split(',').filter(Boolean)) {
    const [from, to] = part.split('-').map((n) => Number.parseInt(n, 10));
    if (from === undefined || Number.isNaN(from)) continue;
    for (let c = from; c <= (to ?? from); c++) cores.add(c);
  }
  return [...cores].sort((a, b) => a - b);
}

/** The cores this process may run on (from /proc), or null where that cannot be read. */
function allowedCores(): number[] | null {
  try {
    const status = readFileSync('/proc/self/status', 'utf8');
    const list = /^Cpus_allowed_list:\s*(.+)$/m.exec(status)?.[1];
    return list ? parseCpuList(list) : null;
  } catch {
    return null;
  }
}

const hasTaskset = (): boolean => spawnSync('taskset', ['--version'], { stdio: 'ignore' }).status === 0;

/** Server on the first allowed core, load generator on the second, when there are two and taskset exists. */
export function detectPinning(): Pinning {
  const cores = allowedCores();
  if (!cores)
    return { server: null, load: null, summary: 'not pinned: cannot read the allowed cores from /proc' };
  if (cores.length < 2) {
    return {
      server: null,
      load: null,
      summary: `not pinned: only ${cores.length} core allowed, server and load share it`,
    };
  }
  if (!hasTaskset())
    return { server: null, load: null, summary: 'not pinned: taskset (util-linux) is not installed' };
  const [server, load] = cores as [number, number];
  const spare = cores.length > 2 ? ` (${cores.length - 2} more cores left idle)` : '';
  return {
    server,
    load,
    summary: `pinned: server on core ${server}, load generator and harness on core ${load}${spare}`,
  };
}

/** Prefixes a command with `taskset -c CORE` when a core is given. */
export function pinned(core: number | null, command: readonly string[]): string[] {
  return core === null ? [...command] : ['taskset', '-c', String(core), ...command];
}

/** Moves every thread of a running process (the harness itself, with its mock issuer) to one core. */
export function pinProcess(pid: number, core: number | null): void {
  if (core !== null) spawnSync('taskset', ['-a', '-p', '-c', String(core), String(pid)], { stdio: 'ignore' });
}
