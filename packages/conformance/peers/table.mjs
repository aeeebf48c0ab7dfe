// Runs the suite's `security` profile on the five peers, reads our eight apps' last test runs,
// and writes one Markdown table, by kind of failure and theme by theme, between the peers-table markers of the
// suite's README. `--check`: exit 1 when the fresh table differs from the README's.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { formatTable, replaceBlock } from './table-format.mjs';

const here = import.meta.dirname;
const suiteDir = resolve(here, '..');
const README = join(suiteDir, 'README.md');

export const PEERS = [
  { dir: 'express', heading: 'express + express-oauth2-jwt-bearer' },
  { dir: 'fastify', heading: 'fastify + @fastify/jwt + get-jwks' },
  { dir: 'koa', heading: 'koa + koa-jwt + jwks-rsa' },
  { dir: 'hono', heading: 'hono + hono/jwk' },
  { dir: 'nestjs', heading: 'nestjs + passport-jwt + jwks-rsa' },
];
export const APPS = ['koa', 'hono', 'nitro', 'loopback', 'express', 'fastify', 'nestjs', 'nginx'];

const LEGEND = `The \`security\` profile on five backends built with other libraries in their documented default
way ([\`peers/\`](peers/)) and on our eight apps, made by \`pnpm --filter @repo/conformance-peers table\`
(the peers are run afresh; our apps' columns come from their own \`pnpm test\` runs). Every failed
expectation records what the backend did (its kind, \`src/kinds.ts\`). The first rows count, per
kind, the cases that failed with it (a case can count under several kinds). Then, theme by theme,
the cases that fail out of those that apply, and below, only the cases that fail somewhere, with the
kinds of each backend's failures (and the tokens or JWKS faults concerned). \`n/a\`: the backend
has no such setting or route (for the express peer, also the \`defaults\` group: it starts a backend
with \`JWT_ISSUER\` alone, and express-oauth2-jwt-bearer requires an audience).`;

const usage = `usage: node table.mjs [--check] [--reuse] [--jobs N]
  runs the security profile on the peers, reads the apps' saved results, and writes the table
  between the peers-table markers of ${README}
  --check   write nothing; exit 1 if the README's table differs from the fresh one
  --reuse   use the peers' last runs (peers/.results) instead of running them again
  --jobs N  peers run at once (default 2)`;

function fail(message, code = 2) {
  console.error(`table: ${message}`);
  process.exit(code);
}

const { values: flags } = parseArgs({
  options: {
    check: { type: 'boolean' },
    reuse: { type: 'boolean' },
    jobs: { type: 'string' },
    help: { type: 'boolean' },
  },
});
if (flags.help) {
  console.log(usage);
  process.exit(0);
}
const jobs = Number(flags.jobs ?? 2);
if (!Number.isInteger(jobs) || jobs < 1) fail(`--jobs must be a positive whole number, got ${flags.jobs}`);

/**
 * How to start the suite's CLI: from its source (always current inside the repository; a built
 * `dist` may be stale), else its built bin.
 */
function cli() {
  const source = join(suiteDir, 'src', 'cli.ts');
  if (existsSync(source)) return [process.execPath, '--import', 'tsx', source];
  const pkg = JSON.parse(readFileSync(join(suiteDir, 'package.json'), 'utf8'));
  const bin = typeof pkg.bin === 'string' ? pkg.bin : Object.values(pkg.bin ?? {})[0];
  if (!bin) fail(`no src/cli.ts and no bin in ${suiteDir}`);
  return [process.execPath, join(suiteDir, bin)];
}

const peerResults = join(here, '.results');

function runPeer(peer) {
  const out = join(peerResults, `${peer.dir}.json`);
  const [bin, ...args] = cli();
  const config = join(here, peer.dir, 'conformance.config.json');
  const child = spawn(bin, [...args, '--config', config, '--profile', 'security', '--json', out], {
    cwd: suiteDir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout.on('data', (chunk) => (log += chunk));
  child.stderr.on('data', (chunk) => (log += chunk));
  const t0 = Date.now();
  return new Promise((done) => {
    child.on('close', (code) => {
      const seconds = ((Date.now() - t0) / 1000).toFixed(0);
      // 0: all ok, 1: failures (expected for a peer); anything else means the suite broke.
      if (code !== 0 && code !== 1)
        fail(`the suite exited with ${code} on the ${peer.dir} peer:\n${log.slice(-4000)}`);
      if (!existsSync(out)) fail(`the suite wrote no result for the ${peer.dir} peer:\n${log.slice(-4000)}`);
      console.error(`table: ${peer.dir} peer done in ${seconds} s`);
      done(readRun(out));
    });
  });
}

function readRun(file) {
  const run = JSON.parse(readFileSync(file, 'utf8'));
  if (!Array.isArray(run.results) || !run.results.every((r) => Array.isArray(r.failures))) {
    fail(`${file} is not a result of this version of the suite: run it again`);
  }
  return run;
}

async function peerRuns() {
  mkdirSync(peerResults, { recursive: true });
  if (flags.reuse) return PEERS.map((p) => readRun(join(peerResults, `${p.dir}.json`)));
  const runs = new Array(PEERS.length);
  let next = 0;
  const worker = async () => {
    while (next < PEERS.length) {
      const i = next++;
      runs[i] = await runPeer(PEERS[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, PEERS.length) }, worker));
  return runs;
}

/** The apps' own `pnpm test` saves their runs; the suite reads them from the same place. */
function appRuns() {
  const dir = process.env.CONFORMANCE_RESULTS_DIR
    ? resolve(process.env.CONFORMANCE_RESULTS_DIR)
    : join(suiteDir, '.results');
  return APPS.map((app) => {
    const file = join(dir, `${app}.json`);
    if (!existsSync(file))
      fail(`no saved result for ${app} in ${dir}: run \`pnpm test\` in apps/${app} first`);
    return readRun(file);
  });
}

const apps = appRuns(); // first: a missing app result fails before minutes of peer runs
const peers = await peerRuns();
// A run of a few cases (vitest -t, --filter) also saves itself: it must not pass for the whole.
const expected = new Set(peers.flatMap((run) => run.results.map((r) => `${r.group}/${r.id}`)));
for (const [i, run] of apps.entries()) {
  const has = new Set(run.results.map((r) => `${r.group}/${r.id}`));
  const missing = [...expected].filter((key) => !has.has(key));
  if (missing.length) {
    fail(
      `the saved run of ${APPS[i]} lacks ${missing.length} cases (${missing.slice(0, 3).join(', ')}...): run its whole \`pnpm test\``,
    );
  }
}
const table = `${LEGEND}\n\n${formatTable([
  ...peers.map((run, i) => ({ heading: PEERS[i].heading, run })),
  ...apps.map((run, i) => ({ heading: `ours: ${APPS[i]}`, run })),
])}`;

const readme = readFileSync(README, 'utf8');
const updated = replaceBlock(readme, table);
if (updated === undefined) fail(`${README} has no peers-table markers`);
if (flags.check) {
  if (updated !== readme) {
    console.error(`table: the table in ${README} is not what the suite finds now. Fresh table:\n\n${table}`);
    process.exit(1);
  }
  console.error('table: the README table matches the fresh runs');
} else {
  writeFileSync(README, updated);
  console.error(`table: written to ${README}`);
}
console.log(table);
