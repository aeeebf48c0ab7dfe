import { algsFor, type BenchContext, probe, targetEnv } from './context.ts';
import { pinned } from './cpu.ts';
import { runLoad } from './load.ts';
import type { LoadSpec } from './load-worker.ts';
import { type RunningServer, startServer } from './server.ts';
import { mean, medianFigures } from './stats.ts';
import type { Target } from './targets.ts';
import type { BenchAlg, Mode, ScenarioResult, TargetResult } from './types.ts';

async function scenario(
  ctx: BenchContext,
  server: RunningServer,
  mode: Mode,
  alg: BenchAlg | null,
): Promise<ScenarioResult> {
  const { opts, issuer } = ctx;
  const pool = alg ? ctx.pools.get(alg) : undefined;
  const token = alg ? ctx.same.get(alg) : undefined;
  const base = {
    mode,
    alg,
    runs: [],
    median: null,
    clientCpu: Number.NaN,
    serverCpu: Number.NaN,
    non2xx: 0,
    errors: 0,
  };
  const spec: LoadSpec = {
    url: server.url,
    path: mode === 'health' ? '/health' : '/protected',
    connections: opts.connections,
    warmup: opts.warmup,
    duration: opts.duration,
    runs: opts.runs,
    ...(mode === 'same' ? { token } : {}),
    ...(mode === 'distinct' ? { tokensFile: pool?.file, offset: 0 } : {}),
  };
  if (mode !== 'health') {
    // One valid token first: an app that refuses it would otherwise be timed answering 401s.
    const status = await probe(server.url, token ?? '');
    if (status !== 200) {
      return {
        ...base,
        skipped: `a valid ${alg} token got ${status || 'no answer'}`,
        jwksFetches: 0,
        rssAfterMb: server.rssMb(),
      };
    }
  }
  // The machine drifts by tens of percent within minutes, and a server's own /health slows once
  // other paths ran: each scenario is read against a /health run made just before it.
  const healthRps = mode === 'health' ? undefined : await healthJustBefore(ctx, server, spec);
  const fetchesBefore = issuer.jwksRequests;
  const out = await runLoad(spec, server, ctx.pin.load);
  return {
    ...base,
    runs: out.runs,
    median: medianFigures(out.runs),
    clientCpu: mean(out.runs.map((r) => r.clientCpu)),
    serverCpu: mean(out.runs.map((r) => r.serverCpu)),
    non2xx: out.runs.reduce((n, r) => n + r.non2xx, 0),
    errors: out.runs.reduce((n, r) => n + r.errors, 0),
    jwksFetches: issuer.jwksRequests - fetchesBefore,
    ...(healthRps ? { healthRps } : {}),
    ...(mode === 'distinct' && pool ? { poolWrapped: out.sent > pool.size } : {}),
    rssAfterMb: server.rssMb(),
  };
}

/** One /health run (after a 1 s warm-up) right before a scenario: the baseline it is read against. */
async function healthJustBefore(ctx: BenchContext, server: RunningServer, spec: LoadSpec) {
  const { url, connections, duration } = spec;
  const health = { url, path: '/health', connections, warmup: 1, duration, runs: 1 };
  return (await runLoad(health, server, ctx.pin.load)).runs[0]?.rps;
}

/** Starts the target, loads /health then /protected per algorithm (same token, distinct tokens), stops it. */
export async function benchTarget(ctx: BenchContext, target: Target): Promise<TargetResult> {
  const result: TargetResult = {
    name: target.name,
    group: target.group,
    kind: target.kind,
    library: target.library,
    status: 'ok',
    scenarios: [],
  };
  let server: RunningServer;
  try {
    server = await startServer(
      target.name,
      pinned(ctx.pin.server, target.command),
      target.cwd,
      targetEnv(ctx, target),
    );
  } catch (e) {
    return { ...result, status: 'failed', reason: (e as Error).message };
  }
  try {
    result.rssBeforeMb = server.rssMb();
    const plan: [Mode, BenchAlg | null][] = [['health', null]];
    for (const alg of algsFor(target, ctx.opts)) plan.push(['same', alg], ['distinct', alg]);
    for (const [mode, alg] of plan) {
      ctx.log(`${target.name}: ${alg ? `${alg} ${mode} token${mode === 'same' ? '' : 's'}` : 'health'}`);
      result.scenarios.push(await scenario(ctx, server, mode, alg));
    }
    result.rssAfterMb = server.rssMb();
  } catch (e) {
    result.status = 'failed';
    result.reason = (e as Error).message;
  } finally {
    await server.stop();
  }
  return result;
}
