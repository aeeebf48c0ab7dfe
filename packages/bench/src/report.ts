import { authCostUs, ratio } from './stats.ts';
import { type Column, mb, num, pct, renderTable } from './table.ts';
import { JOSE_HTTP } from './targets.ts';
import type { BenchAlg, BurstResult, MicroResults, ScenarioResult, TargetResult } from './types.ts';

const COLUMNS: Column[] = [
  { title: 'target' },
  { title: 'scenario' },
  { title: 'req/s', align: 'right' },
  { title: 'p50 ms', align: 'right' },
  { title: 'p99 ms', align: 'right' },
  { title: 'ratio', align: 'right' },
  { title: 'auth µs', align: 'right' },
  { title: 'lib µs', align: 'right' },
  { title: 'floor µs', align: 'right' },
  { title: 'JWKS', align: 'right' },
  { title: 'non-2xx', align: 'right' },
  { title: 'srv cpu', align: 'right' },
  { title: 'load cpu', align: 'right' },
  { title: 'RSS MB', align: 'right' },
];

const label = (s: ScenarioResult): string =>
  s.mode === 'health'
    ? 'GET /health'
    : `${s.alg} ${s.mode === 'same' ? 'same token' : 'distinct'}${s.poolWrapped ? '*' : ''}`;

/** One row per scenario: figures, and against the /health run just before it the ratio and the µs auth adds. */
export function scenarioRows(target: TargetResult, micro: MicroResults): string[][] {
  const first = target.scenarios.find((s) => s.mode === 'health')?.median?.rps ?? Number.NaN;
  return target.scenarios.map((s) => {
    const rps = s.median?.rps ?? Number.NaN;
    const health = s.healthRps ?? first;
    const isHealth = s.mode === 'health';
    const lib = s.alg && target.library !== 'njs' ? micro[target.library]?.[s.alg] : undefined;
    const floor = s.alg ? micro.crypto?.[s.alg] : undefined;
    if (s.skipped) return [target.name, label(s), `skipped: ${s.skipped}`];
    return [
      target.name,
      label(s),
      num(rps),
      num(s.median?.p50, 2),
      num(s.median?.p99, 2),
      isHealth ? '1.00' : num(ratio(rps, health), 2),
      isHealth ? '' : num(authCostUs(rps, health), 1),
      isHealth ? '' : num(lib, 1),
      isHealth ? '' : num(floor, 1),
      num(s.jwksFetches),
      num(s.non2xx + s.errors),
      `${pct(s.serverCpu)}${s.serverCpu < 0.8 ? '?' : ''}`,
      `${pct(s.clientCpu)}${s.clientCpu > 0.9 ? '!' : ''}`,
      mb(s.rssAfterMb),
    ];
  });
}

export function burstLine(burst: BurstResult | { skipped: string } | undefined): string {
  if (!burst) return 'cold burst: not run';
  if ('skipped' in burst) return `cold burst: skipped (${burst.skipped})`;
  const fetches = burst.fetchesAtStart + burst.fetchesDuringBurst;
  const verdict = fetches === 1 ? 'one JWKS fetch' : `${fetches} JWKS fetches`;
  const statuses = Object.entries(burst.statuses ?? {})
    .map(([status, n]) => `${num(n)} × ${status === '0' ? 'no answer' : status}`)
    .join(', ');
  return (
    `cold burst: ${num(burst.requests)} concurrent requests (${statuses}), all answered in ${num(burst.ms)} ms (p50 ${num(burst.p50)}): ${verdict} ` +
    `(${burst.fetchesAtStart} at start-up)`
  );
}

/** The table of one framework: its app first, the peers below, then one line per target. */
export function renderGroup(group: string, targets: readonly TargetResult[], micro: MicroResults): string {
  const measured = targets.filter((t) => t.status === 'ok' || t.scenarios.length);
  const lines = [`== ${group} ==`];
  if (measured.length)
    lines.push(
      renderTable(
        COLUMNS,
        measured.flatMap((t) => scenarioRows(t, micro)),
      ),
    );
  for (const t of targets) {
    if (t.status !== 'ok') lines.push(`${t.name}: ${t.status}: ${t.reason ?? ''}`.trimEnd());
    if (t.rssBeforeMb === undefined) continue;
    lines.push(
      `${t.name} (${t.library}): RSS ${mb(t.rssBeforeMb)} → ${mb(t.rssAfterMb)} MB; ${burstLine(t.burst)}`,
    );
  }
  return lines.join('\n');
}

/** The in-process verify cost per library and algorithm. */
export function renderMicro(micro: MicroResults): string {
  const algs = ['RS256', 'ES256', 'EdDSA'] as const;
  const rows = Object.entries(micro).map(([lib, byAlg]) => [lib, ...algs.map((a) => num(byAlg?.[a], 1))]);
  const columns: Column[] = [
    { title: 'verify µs/call' },
    ...algs.map((a) => ({ title: a, align: 'right' as const })),
  ];
  return renderTable(columns, rows);
}

export const LEGEND = `ratio = req/s with auth ÷ req/s of the same server's /health, run just before it (1.00: auth is free).
auth µs = 1/rps(protected) − 1/rps(that health run): single-core server time auth adds per request.
lib µs = the library call alone, in-process (jose jwtVerify with an imported key, jsonwebtoken.verify with a
KeyObject or a PEM string, hono's verify with a JWK); floor µs = raw crypto.verify of the signature.
core (verify µs/call) = the Node apps' verifier core, jose included, fed distinct tokens (no cache hit).
JWKS = JWKS documents the issuer served during the scenario. * = the token pool wrapped (tokens repeated).
srv cpu ending in ? = the server used under 80% of its core: something else (other processes, the network,
the load generator) held it back, so that row's req/s understates the server; rerun on a quiet machine.
load cpu ending in ! = the load generator was near a full core, so req/s is a floor, not the server's ceiling.`;

const distinctAuthUs = (target: TargetResult, alg: BenchAlg): number => {
  const s = target.scenarios.find((x) => x.mode === 'distinct' && x.alg === alg && !x.skipped);
  const health = s?.healthRps ?? target.scenarios.find((x) => x.mode === 'health')?.median?.rps;
  return s?.median && health ? authCostUs(s.median.rps, health) : Number.NaN;
};

/**
 * Each jose-based target's distinct-token auth µs against the yardstick's (jose alone in a bare
 * node:http server, same run), then in-process jose alone and the apps' core: what the app and
 * its framework add around jose, what a busy server core adds to jose itself, and what our code adds.
 */
export function renderVsJose(results: readonly TargetResult[], micro: MicroResults): string {
  const yardstick = results.find((t) => t.name === JOSE_HTTP);
  if (!yardstick) return '';
  const algs = ['RS256', 'ES256', 'EdDSA'] as const;
  const cell = (us: number, base: number) =>
    us > 0 && base > 0 ? `${num(us)} (${num(us / base, 2)}×)` : '–';
  const rows = results
    .filter((t) => t.library === 'jose')
    .map((t) => [t.name, ...algs.map((a) => cell(distinctAuthUs(t, a), distinctAuthUs(yardstick, a)))]);
  // In-process, one call at a time on the server's core: the core against jose alone, without the network.
  rows.push(['jose in-process (lib µs)', ...algs.map((a) => num(micro.jose?.[a], 1))]);
  rows.push([
    'core in-process (÷ jose)',
    ...algs.map((a) => cell(micro.core?.[a] ?? 0, micro.jose?.[a] ?? 0)),
  ]);
  const columns: Column[] = [
    { title: 'distinct auth µs (÷ jose-http)' },
    ...algs.map((a) => ({ title: a, align: 'right' as const })),
  ];
  return renderTable(columns, rows);
}
