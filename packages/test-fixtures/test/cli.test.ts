import { execFile, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
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
let preview: MockIssuer;
beforeAll(async () => {
  issuer = await MockIssuer.start({ algorithms: ['EdDSA', 'RS256'] });
  preview = await MockIssuer.start({ algorithms: ['EdDSA'] });
});
afterAll(() => Promise.all([issuer.close(), preview.close()]));

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
    [['mint', '--issuer', 'staging'], /^--issuer must be production, preview or a URL/],
    [['mint', '--header', 'X Gateway'], /^--header must be a header name/],
    [['mint', '--prefix', 'Bearer:'], /^--prefix must be a word like Bearer/],
    [['issuer', '--port', '99999'], /^--port must be a whole number/],
    [['issuer', '--port', '3100', '--preview-port', '3100'], /^--port and --preview-port must differ/],
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

describe('pnpm mint --issuer, --header and --prefix', () => {
  it('mints for the issuer named by its URL, with its own key', async () => {
    const { code, stdout } = await run('mint', '--issuer', preview.url);
    expect(code).toBe(0);
    expect(decode(stdout.split('.')[0])).toMatchObject({ kid: preview.key('EdDSA').kid });
    expect(decode(stdout.split('.')[1])).toMatchObject({ iss: preview.url });
  });

  it('refuses an issuer URL that the mock on that origin is not', async () => {
    const { code, stdout, stderr } = await run('mint', '--issuer', `${preview.origin}/other`);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(new RegExp(`^the mock issuer at ${preview.origin} is ${preview.url}, not`));
  });

  it.each([
    [['--header', 'X-Gateway-Token', '--prefix', ''], /^X-Gateway-Token: [\w-]+\.[\w-]+\.[\w-]+\n$/],
    [['--header', 'X-Gateway-Token'], /^X-Gateway-Token: Bearer [\w-]+\.[\w-]+\.[\w-]+\n$/],
    [['--prefix', 'Token'], /^Authorization: Token [\w-]+\.[\w-]+\.[\w-]+\n$/],
  ])('%j prints the header line curl -H takes', async (flags, line) => {
    const { code, stdout } = await run('mint', '--issuer', issuer.origin, ...flags);
    expect(code).toBe(0);
    expect(stdout).toMatch(line);
  });
});

describe('pnpm issuer', () => {
  it('serves two environments, each with its discovery document and its own keys', async () => {
    const child = spawn(
      'node',
      ['--import', 'tsx', 'src/cli.ts', 'issuer', '--port', '0', '--preview-port', '0'],
      {
        cwd,
      },
    );
    try {
      let out = '';
      child.stdout.on('data', (chunk) => {
        out += chunk;
      });
      await vi.waitFor(() => expect(out).toMatch(/JWT_ISSUER=\S+\n/), { timeout: 15_000 });
      const issuers = /JWT_ISSUER=(\S+)/.exec(out)?.[1]?.split(',') ?? [];
      expect(issuers).toHaveLength(2);
      const kids: string[][] = [];
      for (const url of issuers) {
        expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/__zuplo\/issuer$/);
        const discovery = (await (await fetch(`${url}/.well-known/openid-configuration`)).json()) as {
          issuer: string;
          jwks_uri: string;
        };
        expect(discovery.issuer).toBe(url);
        const { keys } = (await (await fetch(discovery.jwks_uri)).json()) as { keys: { kid: string }[] };
        kids.push(keys.map((k) => k.kid));
      }
      expect(kids[0]).toHaveLength(9);
      expect(kids[1]?.filter((kid) => kids[0]?.includes(kid))).toEqual([]);
      expect(out).toContain(`pnpm mint --issuer ${issuers[1]}`);
    } finally {
      child.kill();
    }
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
