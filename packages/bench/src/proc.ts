import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** Readings from Linux's /proc, and where the servers and the load generator run. */

const TICKS = 100; // USER_HZ of /proc's utime and stime

const read = (path: string): string | null => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null; // the process ended between listing and reading
  }
};

/** Parent and CPU seconds (utime + stime) from /proc/<pid>/stat; the name may hold spaces and `)`. */
export function parseStat(text: string): { ppid: number; cpu: number } | null {
  const f = text.slice(text.lastIndexOf(')') + 2).split(' '); // f[0] is field 3
  const [ppid, utime, stime] = [Number(f[1]), Number(f[11]), Number(f[12])];
  return [ppid, utime, stime].every(Number.isFinite) ? { ppid, cpu: (utime + stime) / TICKS } : null;
}

/** CPU seconds used so far by the process (or thread) whose stat file this is; NaN once it is gone. */
export const cpuOf = (statFile: string): number => parseStat(read(statFile) ?? '')?.cpu ?? Number.NaN;

/**
 * Resident memory of a process and all its descendants, MB; VmHWM for the peak. The tree, not the
 * process group: nginx's launcher starts nginx in a group of its own (so that a SIGTERM reaches
 * only the launcher), and its master and workers are the app's memory too.
 */
export function treeRssMb(root: number, field: 'VmRSS' | 'VmHWM' = 'VmRSS'): number {
  const children = new Map<number, number[]>();
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    const ppid = parseStat(read(`/proc/${pid}/stat`) ?? '')?.ppid;
    if (ppid !== undefined) children.set(ppid, [...(children.get(ppid) ?? []), Number(pid)]);
  }
  let kb = 0;
  for (const pids = [root]; pids.length > 0; ) {
    const pid = pids.pop() as number;
    pids.push(...(children.get(pid) ?? []));
    kb += Number(
      new RegExp(`^${field}:\\s*(\\d+) kB`, 'm').exec(read(`/proc/${pid}/status`) ?? '')?.[1] ?? 0,
    );
  }
  return kb / 1024;
}

/** Parses a CPU list such as `0-1` or `0,2-3`. */
export function parseCpuList(text: string): number[] {
  return text
    .trim()
    .split(',')
    .filter(Boolean)
    .flatMap((part) => {
      const [from, to = from] = part.split('-').map(Number) as [number, number?];
      return Array.from({ length: (to as number) - from + 1 }, (_, i) => from + i);
    });
}

export interface Pinning {
  server: number | null;
  load: number | null;
  summary: string;
}

/** Servers on the first allowed core, the load generator and the harness on the second. */
export function pinning(): Pinning {
  const list = /^Cpus_allowed_list:\s*(.+)$/m.exec(read('/proc/self/status') ?? '')?.[1];
  const cores = list ? parseCpuList(list) : [];
  const none = (why: string) => ({ server: null, load: null, summary: `not pinned: ${why}` });
  if (cores.length < 2) return none(`${cores.length || 'an unknown number of'} core(s) allowed`);
  if (spawnSync('taskset', ['--version']).status !== 0) return none('taskset (util-linux) is not installed');
  const [server, load] = cores as [number, number];
  return { server, load, summary: `servers on core ${server}, load generator and harness on core ${load}` };
}

export const pinned = (core: number | null, command: readonly string[]): string[] =>
  core === null ? [...command] : ['taskset', '-c', String(core), ...command];

/** Moves every thread of this process (the harness and its mock issuer) to the load generator's core. */
export const pinSelf = (p: Pinning) =>
  p.load !== null && spawnSync('taskset', ['-a', '-p', '-c', String(p.load), String(process.pid)]);
