import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bannerAlgorithms } from '../src/dev.ts';
import { MockIssuer } from '../src/index.ts';

const cwd = fileURLToPath(new URL('..', import.meta.url));
const run = (...args: string[]) =>
  promisify(execFile)('node', ['--import', 'tsx', 'src/cli.ts', ...args], { cwd }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({
      code: e.code,
      stdout: e.stdout,
      stderr: e.stderr,
    }),
  );
const decode = (segment = '') =>
  JSON.parse(Buffer.from(segment, 'base64url').toString()) as Record<string, unknown>;

let issuer: MockIssuer;
beforeAll(async () => {
  issuer = await MockIssuer.start({ algorithms: ['EdDSA', 'RS256'] });
});
afterAll(() => issuer.close());

describe('the CLI', () => {
  it.each(['issuer', 'mint'])('%s --help prints the usage and exits 0', async (command) => {
    const { code, stdout } = await run(command, '--help');
    expect(code).toBe(0);
    expect(stdout).toMatch(new RegExp(`^usage: pnpm ${command}`));
  });

  it.each([
    [['mint', '--bogus'], /^Unknown option '--bogus'/],
    [['mint', '--exp', 'soon'], /^--exp must be a whole number/],
    [['mint', '--alg', 'HS256'], /^--alg must be one of/],
    [['mint', '--claims', '[1]'], /^--claims must be a JSON object/],
    [['issuer', '--port', '99999'], /^--port must be a whole number/],
    [['token'], /^unknown command "token"/],
  ])('%j: one line, the usage, exit 2, no stack trace', async (args, message) => {
    const { code, stderr } = await run(...args);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr.split('\n')[1]).toMatch(/^usage: /);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('mints an EdDSA token by default, and an expired one with --exp -60', async () => {
    const { code, stdout } = await run(
      'mint',
      '--issuer',
      issuer.origin,
      '--exp',
      '-60',
      '--scope',
      'read admin',
    );
    expect(code).toBe(0);
    const [header, payload] = stdout.trim().split('.');
    expect(decode(header)).toMatchObject({ alg: 'EdDSA', typ: 'JWT', kid: issuer.key('EdDSA').kid });
    expect(decode(payload)).toMatchObject({ iss: issuer.url, scope: 'read admin' });
    expect(Number(decode(payload).exp)).toBeLessThan(Date.now() / 1000 - 55);
  });

  it('mints any other algorithm one flag away, with extra claims', async () => {
    const { stdout } = await run(
      'mint',
      '--issuer',
      issuer.origin,
      '--alg',
      'RS256',
      '--claims',
      '{"tenant":"acme"}',
    );
    const [header, payload] = stdout.trim().split('.');
    expect(decode(header)).toMatchObject({ alg: 'RS256' });
    expect(decode(payload)).toMatchObject({ tenant: 'acme' });
  });
});

describe("pnpm dev's banner", () => {
  it('uses EdDSA unless JWT_ALGORITHMS or the app leaves it out', () => {
    expect(bannerAlgorithms({})[0]).toBe('EdDSA');
    expect(bannerAlgorithms({ JWT_ALGORITHMS: 'ES256, EdDSA' })).toEqual(['EdDSA', 'ES256']);
    expect(bannerAlgorithms({ JWT_ALGORITHMS: 'ES256,RS256' })).toEqual(['ES256', 'RS256']);
    expect(bannerAlgorithms({}, ['RS256', 'ES256'])).toEqual(['RS256', 'ES256']);
  });
});
