import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Burst } from './burst.ts';
import { select } from './entries.ts';
import type { Lines } from './lines.ts';
import { renderMicro } from './micro.ts';
import type { Row } from './pairs.ts';
import { burstLine, LEGEND, renderChecks, renderTable, rowCells, TITLES } from './report.ts';
import { type Check, verdicts } from './verdicts.ts';

/** A paired run as `results/*.json` keep it: every window of every pair. */
export interface Run {
  rows: Row[];
  bursts: Burst[];
  lines: Lines[];
  micro?: Parameters<typeof renderMicro>[0];
  note?: string;
}

/** The table, the in-process timings, the bursts and the verdicts of a run. */
export function printRun(run: Run, checks: readonly Check[]): void {
  const parts = [
    renderTable(TITLES, run.rows.map(rowCells)),
    LEGEND,
    run.micro && renderMicro(run.micro),
    run.bursts.map(burstLine).join('\n'),
    `== targets ==\n${renderChecks(checks)}`,
    run.note,
  ];
  console.log(`\n${parts.filter(Boolean).join('\n\n')}`);
}

/** `--from`: a saved run judged by this version's rules (after a rule changed, say); nothing measured. */
export function judgeAgain(file: string, log: (line: string) => void): void {
  const saved = JSON.parse(readFileSync(resolve(file), 'utf8')) as Partial<Run> & {
    meta?: { date?: string };
  };
  if (!Array.isArray(saved.rows)) throw new Error(`${file} holds no rows: not the JSON of a paired run`);
  const run: Run = {
    rows: saved.rows,
    bursts: saved.bursts ?? [],
    lines: saved.lines ?? [],
    micro: saved.micro,
  };
  log(`${file}: the run of ${saved.meta?.date ?? 'an unknown date'}, judged again; nothing measured`);
  printRun(run, verdicts({ entries: select(null, true, true), ...run }));
}
