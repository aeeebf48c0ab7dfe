import { setTimeout as sleep } from 'node:timers/promises';
import { MockIssuer } from '@repo/test-fixtures';
import { mainEnv } from './model.ts';
import type { RunResult } from './results.ts';
import { type RunOptions, runSuite } from './runner.ts';
import { type Instance, SECOND_RS256_KID, Session } from './session.ts';
import { renamed, routesOf, type Target } from './target.ts';

/** The one instance a hand-started backend gives: the main settings, never restarted. */
class UrlSession extends Session {
  constructor(
    target: Target,
    private readonly instance: Instance,
  ) {
    super(target);
  }
  override async instanceFor(): Promise<Instance> {
    return this.instance;
  }
  override async release(): Promise<void> {}
  override async close(): Promise<void> {
    await this.instance.issuer.close();
  }
}

/**
 * Runs the cases that share the main settings against a backend the user started by hand,
 * pointed at a mock issuer on a fixed port. Cases that restart the backend with other settings
 * (defaults, key outages, start-up checks) need `--cmd` and are shown as not applicable.
 */
export async function runAgainstUrl(
  url: string,
  target: Target,
  issuerPort: number,
  options: RunOptions,
): Promise<RunResult> {
  const base = url.replace(/\/$/, '');
  const issuer = await MockIssuer.start({ port: issuerPort });
  await issuer.publish('RS256', SECOND_RS256_KID);
  const env = mainEnv(issuer, target);
  console.error(`Mock issuer on ${issuer.url}. Start your backend with:\n`);
  for (const [k, v] of Object.entries(renamed(target, env))) console.error(`  ${k}='${v}'`);
  const health = `${base}${routesOf(target).health}`;
  console.error(`\nWaiting for ${health} to answer 200 ...`);
  const deadline = Date.now() + 10 * 60_000;
  while (
    (await fetch(health).then(
      (r) => r.status,
      () => 0,
    )) !== 200
  ) {
    if (Date.now() > deadline) {
      await issuer.close();
      throw new Error(`${health} did not answer 200 within 10 minutes`);
    }
    await sleep(500);
  }
  const app = { url: base, output: () => '', stop: async () => {} };
  return runSuite(
    target,
    { ...options, byUrl: true },
    undefined,
    new UrlSession(target, { issuer, others: [], env, app, launched: [] }),
  );
}
