/** The algorithms the benchmark loads: one RSA, one EC and the gateway's default. */
export const BENCH_ALGS = ['RS256', 'ES256', 'EdDSA'] as const;
export type BenchAlg = (typeof BENCH_ALGS)[number];

/** A library call measured in-process by the micro-benchmark. */
export type Library = 'jose' | 'jsonwebtoken' | 'jsonwebtoken-pem' | 'hono-jwt' | 'njs';
export const MICRO_LIBS = ['crypto', 'jose', 'core', 'jsonwebtoken', 'jsonwebtoken-pem', 'hono-jwt'] as const;
export type MicroLib = (typeof MICRO_LIBS)[number];

/** One timed load run, as the load generator measured it. */
export interface RunResult {
  rps: number;
  /** Latency percentiles, milliseconds. */
  p50: number;
  p99: number;
  requests: number;
  non2xx: number;
  /** Connection errors, timeouts included; and how many answers had each status. */
  errors: number;
  timeouts: number;
  statuses: Record<string, number>;
  /** Share of one core used by the load generator (near 1: the client, not the server, was the limit). */
  clientCpu: number;
  /** Share of one core used by the server's processes over the run. */
  serverCpu: number;
}

export interface Figures {
  rps: number;
  p50: number;
  p99: number;
}

export type Mode = 'health' | 'same' | 'distinct';

export interface ScenarioResult {
  mode: Mode;
  alg: BenchAlg | null;
  /** Set when the scenario could not be measured (the app refused the token, say). */
  skipped?: string;
  runs: RunResult[];
  median: Figures | null;
  clientCpu: number;
  serverCpu: number;
  non2xx: number;
  errors: number;
  /** req/s of the same server's /health, run just before this scenario (its ratio and auth µs). */
  healthRps?: number;
  /** JWKS documents the issuer served while this scenario ran (warm-up included). */
  jwksFetches: number;
  /** Distinct-token runs only: more requests were sent than the pool holds, so tokens repeated. */
  poolWrapped?: boolean;
  rssAfterMb: number;
}

export interface BurstResult {
  requests: number;
  ok: number;
  non2xx: number;
  errors: number;
  fetchesAtStart: number;
  fetchesDuringBurst: number;
  /** From the first request written to the last answer; p50/p99 per request, ms. */
  ms: number;
  p50: number;
  p99: number;
  /** How many answers had each status (0: no answer). */
  statuses: Record<string, number>;
}

export interface TargetResult {
  name: string;
  group: string;
  kind: 'app' | 'peer';
  library: Library;
  status: 'ok' | 'not built' | 'failed';
  reason?: string;
  rssBeforeMb?: number;
  rssAfterMb?: number;
  scenarios: ScenarioResult[];
  burst?: BurstResult | { skipped: string };
}

/** Micro-benchmark: microseconds per verify, by library and algorithm. */
export type MicroResults = Partial<Record<MicroLib, Partial<Record<BenchAlg, number>>>>;
