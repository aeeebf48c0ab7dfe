import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { freePort, launch, runExpectingExit, startServer } from '../src/process.ts';

/** A server on $PORT with /health, printing a line; `extra` runs first (a trap, a child). */
const server = (extra = '') => [
  process.execPath,
  '-e',
  `${extra}; require('node:http').createServer((q, s) => s.writeHead(q.url === '/health' ? 200 : 404).end())` +
    `.listen(+process.env.PORT, '127.0.0.1', () => console.log('up on', process.env.PORT))`,
];

async function start(extra?: string) {
  const port = await freePort();
  const health = `http://127.0.0.1:${port}/health`;
  return { port, app: await startServer({ command: server(extra), env: { PORT: String(port) }, health }) };
}

describe('the process helper', () => {
  it('never hands out the same port twice', async () => {
    const ports = await Promise.all(Array.from({ length: 20 }, freePort));
    expect(new Set(ports).size).toBe(20);
  });

  it('starts a server, keeps its output, and stops it with SIGTERM', async () => {
    const { port, app } = await start();
    expect(app.output()).toContain(`up on ${port}`);
    expect(await app.stop()).toEqual({ code: null, signal: 'SIGTERM' });
  });

  it('passes on only PATH, HOME and the given variables', async () => {
    process.env.LEAK_CHECK = 'leaked';
    const child = launch({
      command: [process.execPath, '-p', 'Object.keys(process.env).sort().join()'],
      env: { A: '1' },
    });
    await child.exited;
    delete process.env.LEAK_CHECK;
    expect(child.output().trim()).toBe('A,HOME,PATH');
  });

  it('stops the whole process group, and SIGKILLs what ignores SIGTERM', async () => {
    const grandchild = `require('node:child_process').spawn(process.execPath, ['-e', 'process.on("SIGTERM", () => {}); setInterval(() => {}, 1e3); console.log("pid", process.pid)'], { stdio: 'inherit' })`;
    const { app } = await start(`process.on('SIGTERM', () => {}); ${grandchild}`);
    await expect.poll(() => app.output()).toMatch(/pid \d+/);
    const pid = Number(/pid (\d+)/.exec(app.output())?.[1]);
    const t0 = Date.now();
    expect(await app.stop(300)).toEqual({ code: null, signal: 'SIGKILL' });
    expect(Date.now() - t0).toBeLessThan(2000);
    await expect.poll(() => isAlive(pid)).toBe(false);
  });

  it('throws with the tail of the output when the process exits before it is healthy', async () => {
    const command = [process.execPath, '-e', 'console.error("JWT_ISSUER is missing"); process.exit(1)'];
    await expect(startServer({ command, health: 'http://127.0.0.1:9/health', name: 'demo' })).rejects.toThrow(
      /^demo did not answer GET .* with 200 \(it exited with code 1\); it printed:\nJWT_ISSUER is missing/,
    );
  });

  it('reports an expected exit, a start instead, or neither', async () => {
    const command = [process.execPath, '-e', 'console.log("bad PORT"); process.exit(3)'];
    const health = 'http://127.0.0.1:9/health';
    expect(await runExpectingExit({ command, health })).toMatchObject({
      code: 3,
      output: 'bad PORT\n',
      exited: true,
      started: false,
    });
    const port = await freePort();
    const started = await runExpectingExit({
      command: server(),
      env: { PORT: String(port) },
      health: `http://127.0.0.1:${port}/health`,
    });
    expect([started.started, started.exited]).toEqual([true, false]);
    const hang = [process.execPath, '-e', 'setInterval(() => {}, 1e3)'];
    expect(await runExpectingExit({ command: hang, health, timeoutMs: 500 })).toMatchObject({
      started: false,
      exited: false,
    });
  });

  it('reports a command that cannot be spawned as an exit with its error', async () => {
    const result = await runExpectingExit({
      command: ['/no/such/binary'],
      health: 'http://127.0.0.1:9/health',
    });
    expect([result.exited, result.output]).toEqual([true, expect.stringContaining('ENOENT')]);
  });
});

/** Running, not gone or a zombie (this machine's init may be slow to reap orphans). */
function isAlive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}
