import { isAbsolute, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ALGORITHMS, isAlg } from '@repo/test-fixtures';
import { formatMatrix } from './matrix.ts';
import { loadRuns } from './results.ts';
import { runSuite } from './runner.ts';
import { runAgainstUrl } from './url-mode.ts';

const usage = `usage:
  pnpm conformance --cmd "node dist/index.js" [--cwd DIR] [--name NAME] [--algorithms RS256,ES256] [--filter TEXT]
      start your backend with that command (it gets PORT and the JWT_* variables) and run every case
  pnpm conformance --url http://127.0.0.1:8080 [--issuer-port 4000] [--algorithms ...]
      run the cases that need no restart against a backend you start yourself (the env to use is printed)
  pnpm conformance --matrix
      print the last result of every target (each app's \`pnpm test\` records one)`;

function fail(message: string): never {
  console.error(`${message}\n\n${usage}`);
  process.exit(2);
}

const { values } = parseArgs({
  options: {
    cmd: { type: 'string' },
    url: { type: 'string' },
    cwd: { type: 'string' },
    name: { type: 'string' },
    algorithms: { type: 'string' },
    filter: { type: 'string' },
    'issuer-port': { type: 'string' },
    matrix: { type: 'boolean' },
  },
});

if (values.matrix) {
  const runs = loadRuns();
  if (runs.length === 0) fail('no results yet: run `pnpm test` first');
  console.log(formatMatrix(runs));
  process.exit(runs.some((r) => r.results.some((c) => !c.ok)) ? 1 : 0);
}

const algorithms = (values.algorithms ?? 'RS256').split(',').map((a) => a.trim());
const unknown = algorithms.filter((a) => !isAlg(a));
if (unknown.length) fail(`--algorithms: ${unknown.join(', ')} not among ${ALGORITHMS.join(' ')}`);
const algs = algorithms.filter(isAlg);
// pnpm runs this script in the package folder; relative paths mean the caller's folder.
const callerDir = process.env.INIT_CWD ?? process.cwd();
const onResult = (r: { ok: boolean; group: string; id: string; note?: string; error?: string }) =>
  console.log(`${r.ok ? 'ok  ' : 'FAIL'} ${r.group}/${r.id}${r.note ? ` (${r.note})` : ''}${r.error ? `\n     ${r.error.split('\n').join('\n     ')}` : ''}`);

let run: Awaited<ReturnType<typeof runSuite>>;
if (values.cmd) {
  const cwd = values.cwd ? (isAbsolute(values.cwd) ? values.cwd : resolve(callerDir, values.cwd)) : callerDir;
  const target = { name: values.name ?? 'backend', command: ['sh', '-c', values.cmd], cwd, algorithms: algs };
  run = await runSuite(target, { filter: values.filter, onResult });
} else if (values.url) {
  const port = Number(values['issuer-port'] ?? 4000);
  run = await runAgainstUrl(values.url, { name: values.name ?? 'backend', algorithms: algs, issuerPort: port, filter: values.filter, onResult });
} else {
  fail('give --cmd or --url');
}
console.log(`\n${formatMatrix([run])}`);
process.exit(run.results.some((r) => !r.ok) ? 1 : 0);
