#!/usr/bin/env node
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { themeOf } from './applicable.ts';
import { loadConfig, parseProfile, targetFrom } from './config-file.ts';
import { toJunit } from './junit.ts';
import { formatMatrix } from './matrix.ts';
import { caseLine, failureList, themeSummary } from './report.ts';
import { loadRuns, resultsDir, type RunResult, tally } from './results.ts';
import { caseRunning, runSuite } from './runner.ts';
import { suite } from './suite.ts';
import { runAgainstUrl } from './url-mode.ts';
import { USAGE, UsageError } from './usage.ts';

const OPTIONS = {
  config: { type: 'string' },
  cmd: { type: 'string' },
  url: { type: 'string' },
  cwd: { type: 'string' },
  name: { type: 'string' },
  algorithms: { type: 'string' },
  profile: { type: 'string' },
  filter: { type: 'string' },
  json: { type: 'string' },
  junit: { type: 'string' },
  verbose: { type: 'boolean' },
  'issuer-port': { type: 'string' },
  matrix: { type: 'boolean' },
  list: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

async function main(argv: string[]): Promise<number> {
  const { values: flags } = parseArgs({
    args: argv,
    options: OPTIONS,
    strict: true,
    allowPositionals: false,
  });
  if (flags.help) {
    console.log(USAGE);
    return 0;
  }
  if (flags.list) {
    for (const g of suite)
      for (const c of g.cases)
        console.log(`${`${g.id}/${c.id}`.padEnd(44)} ${themeOf(g).padEnd(18)} ${c.title}`);
    return 0;
  }
  if (flags.matrix) {
    const profile = parseProfile(flags.profile, '--profile') ?? 'contract';
    const runs = loadRuns();
    if (runs.length === 0) throw new UsageError(`no results in ${resultsDir()}: run an app's tests first`);
    console.log(formatMatrix(runs, profile));
    return runs.some((r) => tally(r.results, profile).failed > 0) ? 1 : 0;
  }
  // pnpm runs the package script in the package folder; relative paths mean the caller's folder.
  const callerDir = process.env.INIT_CWD ?? process.cwd();
  const { file, dir } = loadConfig(flags.config, callerDir);
  const profile =
    parseProfile(flags.profile, '--profile') ?? parseProfile(file.profile, 'config profile') ?? 'contract';
  const url = flags.url ?? file.url;
  const target = { ...targetFrom(file, dir, flags, callerDir), profile };
  if (!url && target.command.length === 0)
    throw new UsageError('give --cmd, --url or --config (a file with "command" or "url")');
  const issuerPort = Number(flags['issuer-port'] ?? 4000);
  if (!Number.isInteger(issuerPort) || issuerPort < 1 || issuerPort > 65535)
    throw new UsageError('--issuer-port: not a port');

  // With `--json -` stdout is the JSON alone; the report goes to stderr.
  const say =
    flags.json === '-' ? (line: string) => console.error(line) : (line: string) => console.log(line);
  const options = {
    filter: flags.filter,
    onResult: (r: RunResult['results'][number]) => say(caseLine(r, profile, flags.verbose)),
  };
  const run = url ? await runAgainstUrl(url, target, issuerPort, options) : await runSuite(target, options);
  say('');
  say(`by theme (${run.target}; "${profile}" decides the verdict):`);
  say(themeSummary(run));
  const failed = failureList(run, profile);
  if (failed.length) say(['', `failed (${profile} profile):`, ...failed].join('\n'));
  if (flags.json === '-') console.log(JSON.stringify(run, null, 2));
  else if (flags.json) writeFileSync(flags.json, `${JSON.stringify(run, null, 2)}\n`);
  if (flags.junit) writeFileSync(flags.junit, toJunit(run, profile));
  say(`\n${formatMatrix([run], profile)}`);
  return tally(run.results, profile).failed > 0 ? 1 : 0;
}

// A stray rejection between cases is reported, never the end of the run (inside a case, the
// runner records it against that case).
process.on('unhandledRejection', (reason) => {
  if (!caseRunning())
    console.error(`jwt-conformance: unhandled rejection: ${(reason as Error)?.message ?? reason}`);
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const usage =
      error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    console.error(`jwt-conformance: ${(error as Error).message ?? error}`);
    if (usage) console.error(`\n${USAGE}`);
    process.exitCode = usage ? 2 : 1;
  },
);
