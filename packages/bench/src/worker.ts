import { spawn } from 'node:child_process';
import { pinned } from './cpu.ts';
import { BENCH_DIR } from './targets.ts';

/**
 * Runs `src/<script>` as its own Node process (pinned to `core` when given), hands it `input` as
 * JSON on stdin, and passes each JSON line it prints to `onLine`. Rejects with its stderr tail
 * when it exits non-zero.
 */
export function runWorker(
  script: string,
  input: unknown,
  core: number | null,
  onLine: (value: unknown) => void,
): Promise<void> {
  const [bin, ...args] = pinned(core, [process.execPath, '--import', 'tsx', `src/${script}`]) as [
    string,
    ...string[],
  ];
  const child = spawn(bin, args, { cwd: BENCH_DIR, stdio: ['pipe', 'pipe', 'pipe'] });
  let buffered = '';
  let errors = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
      const line = buffered.slice(0, nl).trim();
      buffered = buffered.slice(nl + 1);
      if (line.startsWith('{')) onLine(JSON.parse(line));
    }
  });
  child.stderr.on('data', (c: Buffer) => {
    errors = (errors + c.toString()).slice(-2000);
  });
  child.stdin.end(JSON.stringify(input));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`${script} exited with ${code}: ${errors.trim().split('\n').at(-1)}`)),
    );
  });
}

/** The worker side: reads the JSON spec from stdin, runs `main`, exits 1 with one line on failure. */
export function workerMain<T>(name: string, main: (spec: T) => Promise<void>): void {
  let input = '';
  process.stdin.on('data', (c: Buffer) => {
    input += c.toString();
  });
  process.stdin.on('end', () => {
    main(JSON.parse(input) as T).catch((e: Error) => {
      console.error(`${name}: ${e.message}`);
      process.exit(1);
    });
  });
}

/** Prints one JSON line for the parent. */
export const emit = (value: unknown): void => {
  process.stdout.write(`${JSON.stringify(value)}\n`);
};
