import { readdirSync, readFileSync } from 'node:fs';

/** Readings from /proc for a server's whole process group (nginx has a master and workers). */

const TICKS_PER_SECOND = 100; // USER_HZ, 100 on every Linux that Node supports

export interface StatFields {
  pgrp: number;
  /** utime + stime, seconds. */
  cpuSeconds: number;
}

/** Parses /proc/<pid>/stat. The command name may hold spaces and parentheses: fields start after the last `)`. */
export function parseStat(text: string): StatFields | null {
  const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // rest[0] is field 3 (state): field n is rest[n - 3].
  const pgrp = Number(rest[2]);
  const utime = Number(rest[11]);
  const stime = Number(rest[12]);
  if (![pgrp, utime, stime].every(Number.isFinite)) return null;
  return { pgrp, cpuSeconds: (utime + stime) / TICKS_PER_SECOND };
}

/** A `kB` field of /proc/<pid>/status (VmRSS, VmHWM) in megabytes, 0 when missing. */
export function statusFieldMb(status: string, field: string): number {
  const kb = new RegExp(`^${field}:\\s*(\\d+) kB`, 'm').exec(status)?.[1];
  return kb ? Number(kb) / 1024 : 0;
}

function read(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null; // the process ended between listing and reading
  }
}

/** Every live process whose process group is `pgid`. */
export function groupPids(pgid: number): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = read(`/proc/${entry}/stat`);
    if (stat && parseStat(stat)?.pgrp === pgid) pids.push(Number(entry));
  }
  return pids;
}

/** Resident memory of the group, MB (VmRSS summed; VmHWM for the peak). */
export function groupMemoryMb(pgid: number, field: 'VmRSS' | 'VmHWM' = 'VmRSS'): number {
  let total = 0;
  for (const pid of groupPids(pgid)) total += statusFieldMb(read(`/proc/${pid}/status`) ?? '', field);
  return total;
}

/** CPU seconds used so far by the group's live processes. */
export function groupCpuSeconds(pgid: number): number {
  let total = 0;
  for (const pid of groupPids(pgid)) total += parseStat(read(`/proc/${pid}/stat`) ?? '')?.cpuSeconds ?? 0;
  return total;
}
