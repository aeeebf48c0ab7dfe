#!/usr/bin/env node
// `pnpm test`: every package's tests through turbo (unit tests, and each app's conformance suite
// against its workspace build), then the case x app matrix. `pnpm test:starters`: a starter made
// from each app, installed with plain npm and run through the suite (test/copy.test.ts).
// Both end with the time each step took, so a slow step is seen, not guessed.
// Two at a time: a conformance run mostly waits (the 30 s cooldown, outages, backoff), using
// about a third of a core, so two runs side by side on the 2-core CI machine halve the wall time.
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import pLimit from 'p-limit';

const root = new URL('..', import.meta.url).pathname;
// turbo's telemetry and update checks stay off for everyone, not only in CI.
const env = { ...process.env, DO_NOT_TRACK: '1', TURBO_TELEMETRY_DISABLED: '1' };
const LANES = 2;
const run = (cmd, args, options = {}) =>
  spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env, ...options }).status ?? 1;

function printTimes(rows) {
  const width = Math.max(...rows.map(([name]) => name.length));
  console.log('\n== Time per step');
  for (const [name, seconds, ok] of rows)
    console.log(`${name.padEnd(width)}  ${seconds.toFixed(0).padStart(4)} s${ok ? '' : '  FAILED'}`);
}

/** The newest turbo run summary (`--summarize` writes one per run into .turbo/runs). */
function turboTimes() {
  const dir = join(root, '.turbo', 'runs');
  const newest = readdirSync(dir)
    .map((name) => join(dir, name))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
  const { tasks } = JSON.parse(readFileSync(newest, 'utf8'));
  return tasks
    .filter((task) => task.execution)
    .sort((a, b) => a.execution.startTime - b.execution.startTime)
    .map((task) => [
      task.taskId,
      (task.execution.endTime - task.execution.startTime) / 1000,
      task.execution.exitCode === 0,
    ]);
}

/** One starter's copy test, its output held back and printed whole, so two runs never interleave. */
function starter(app) {
  const started = Date.now();
  const child = spawn('pnpm', ['exec', 'vitest', 'run', 'test/copy.test.ts'], {
    cwd: join(root, 'apps', app),
    env: { ...env, STARTER_TESTS: '1', FORCE_COLOR: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = [];
  child.stdout.on('data', (chunk) => output.push(chunk));
  child.stderr.on('data', (chunk) => output.push(chunk));
  return new Promise((resolve) => {
    child.on('close', (code) => {
      console.log(`\n== starter: ${app}\n${Buffer.concat(output).toString()}`);
      resolve([`${app} starter`, (Date.now() - started) / 1000, code === 0]);
    });
  });
}

async function starters() {
  const apps = readdirSync(join(root, 'apps')).sort();
  const limit = pLimit(LANES);
  const rows = await Promise.all(apps.map((app) => limit(() => starter(app))));
  printTimes(rows);
  return rows.every(([, , ok]) => ok) ? 0 : 1;
}

function workspace() {
  const status = run('turbo', ['run', 'test', `--concurrency=${LANES}`, '--summarize']);
  printTimes(turboTimes());
  if (status !== 0) return status;
  return run('turbo', ['run', 'report', '--log-prefix=none']);
}

process.exit(process.argv[2] === 'starters' ? await starters() : workspace());
