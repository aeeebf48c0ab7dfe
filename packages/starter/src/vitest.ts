import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { MockIssuer } from '@repo/test-fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listRuntimes, makeStarter } from './starter.ts';
import { installedPackages, npm, type Started, startScript, unapprovedInstallScripts } from './try-starter.ts';

/**
 * For each runtime an app has besides Node: a starter made with `--runtime <name>`, installed
 * with npm, built and started with that runtime's scripts, as its README says. It answers /health,
 * lets a valid token in and keeps a forged one out, and installed none of the other runtimes'
 * packages. A smoke test: the whole suite runs on each runtime in the repository and on the
 * Node starter (describeCopiedApp).
 */
export function describeRuntimeStarters(app: string): void {
  const runtimes = listRuntimes(app);
  for (const [name, runtime] of Object.entries(runtimes)) {
    describe(`starter: ${app} --runtime ${name}`, () => {
      let issuer: MockIssuer | undefined;
      let dir = '';
      let server: Started | undefined;

      beforeAll(async () => {
        issuer = await MockIssuer.start({ algorithms: ['EdDSA'] });
        dir = join(mkdtempSync(join(tmpdir(), 'starter-')), app);
        await makeStarter(app, dir, { runtimes: [name] });
        // --prefer-offline: what the Node starter's install just fetched comes from npm's cache.
        await npm(dir, ['install', '--no-audit', '--no-fund', '--loglevel=error', '--prefer-offline']);
        await npm(dir, ['run', runtime.build]);
        server = await startScript(dir, runtime.start, { JWT_ISSUER: issuer.url });
      }, 900_000);
      afterAll(async () => {
        await server?.stop();
        await issuer?.close();
        if (dir) rmSync(dirname(dir), { recursive: true, force: true });
      });

      it(`installs ${runtime.devDependencies.join(', ')} and no other runtime`, () => {
        const installed = installedPackages(dir);
        const others = Object.entries(runtimes).filter(([other]) => other !== name);
        const foreign = others.flatMap(([, r]) => r.devDependencies).filter((d) => !runtime.devDependencies.includes(d));
        expect(runtime.devDependencies.filter((dep) => !installed.has(dep))).toEqual([]);
        // Installed only because a package the starter keeps needs it (tsx needs esbuild, say): fine.
        const unasked = foreign.filter((dep) => installed.get(dep)?.length === 0);
        expect(unasked).toEqual([]);
      });

      it('approves every install script it installed (allowScripts), as npm 12 requires', () => {
        expect(unapprovedInstallScripts(dir)).toEqual([]);
      });

      it('GET /health: 200', async () => {
        expect((await fetch(`${server?.url}/health`)).status).toBe(200);
      });

      it('a valid token: 200 on /protected', async () => {
        const token = issuer?.mint() ?? '';
        const response = await fetch(`${server?.url}/protected`, {
          headers: { authorization: `Bearer ${token}` },
        });
        expect(response.status, server?.output()).toBe(200);
      });

      it("a forged token (the issuer's kid, another key): 401 on /protected", async () => {
        if (!issuer) throw new Error('no issuer');
        const key = await issuer.foreignKey('EdDSA');
        const token = issuer.mint({}, { key, kid: issuer.key('EdDSA').kid });
        const response = await fetch(`${server?.url}/protected`, {
          headers: { authorization: `Bearer ${token}` },
        });
        expect(response.status).toBe(401);
        expect(response.headers.get('www-authenticate')).toMatch(/^Bearer .*error="invalid_token"/);
      });
    });
  }
}
