import { setTimeout as sleep } from 'node:timers/promises';
import { type Alg, MockIssuer } from '@repo/test-fixtures';
import { mainEnv } from './model.ts';
import type { CaseResult, RunResult } from './results.ts';
import { runCase } from './runner.ts';
import { SECOND_RS256_KID, Session } from './session.ts';
import { suite } from './suite.ts';

export interface UrlModeOptions {
  name: string;
  algorithms: Alg[];
  issuerPort: number;
  filter?: string;
  onResult(result: CaseResult): void;
}

/**
 * Runs the cases that share the main settings against a backend the user started by hand,
 * pointed at a mock issuer on a fixed port. Groups that restart the backend with other
 * settings (defaults, key outages, start-up checks) need `--cmd` and are listed as not run.
 */
export async function runAgainstUrl(url: string, options: UrlModeOptions): Promise<RunResult> {
  const base = url.replace(/\/$/, '');
  const issuer = await MockIssuer.start({ port: options.issuerPort });
  await issuer.publish('RS256', SECOND_RS256_KID);
  const target = { name: options.name, command: [], cwd: '.', algorithms: options.algorithms };
  const env = mainEnv(issuer, target);
  console.log(`Mock issuer on ${issuer.url}. Start your backend with:\n`);
  for (const [k, v] of Object.entries(env)) console.log(`  ${k}='${v}'`);
  console.log(`\nWaiting for ${base}/health to answer 200 ...`);
  const deadline = Date.now() + 10 * 60_000;
  while ((await fetch(`${base}/health`).then((r) => r.status, () => 0)) !== 200) {
    if (Date.now() > deadline) throw new Error(`${base}/health did not answer 200 within 10 minutes`);
    await sleep(500);
  }

  const started = Date.now();
  const session = new Session(target);
  const ctx = session.context({ issuer, env, app: { url: base, output: () => '', stop: async () => {} } });
  const results: CaseResult[] = [];
  const skipped: string[] = [];
  for (const group of suite) {
    if (group.instance !== 'main') {
      skipped.push(group.id);
      continue;
    }
    for (const c of group.cases) {
      if (options.filter && !`${group.id}/${c.id}`.includes(options.filter)) continue;
      const result = await runCase(group, c, ctx);
      results.push(result);
      options.onResult(result);
    }
  }
  await issuer.close();
  console.log(`\nNot run against a URL (they restart the backend with other settings; use --cmd): ${skipped.join(', ')}`);
  return { target: options.name, startedAt: new Date(started).toISOString(), seconds: (Date.now() - started) / 1000, results };
}
