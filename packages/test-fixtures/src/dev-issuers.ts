import { setTimeout as sleep } from 'node:timers/promises';
import { DEV_ENVIRONMENTS } from './cli-constants.ts';
import { MockIssuer } from './issuer.ts';

// Only relative files and node built-ins here: a starter carries this file bundled.

export interface DevIssuer {
  /** `production`, `preview`. */
  name: string;
  /** The issuer identifier (`iss`), `<origin>/__zuplo/issuer` as the gateway's. */
  url: string;
  /** Where `/__mock/token` mints its tokens. */
  origin: string;
  /** Stops the issuer, when this process started it (it serves every app until then). */
  close?: () => Promise<void>;
}

/**
 * Finds the mock issuer another app's `pnpm dev` already started on `port`, or starts it there
 * (on a free port when something else holds it), so several apps at once share one issuer.
 */
export async function joinOrStartIssuer(port: number): Promise<Omit<DevIssuer, 'name'>> {
  const origin = `http://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 20; attempt++) {
    const running = await fetch(`${origin}/__mock/health`)
      .then((r) => (r.ok ? (r.json() as Promise<{ issuer?: unknown }>) : undefined))
      .catch(() => undefined);
    if (typeof running?.issuer === 'string') return { url: running.issuer, origin };
    const started = await MockIssuer.start({ port }).catch(() => undefined);
    if (started) return { url: started.url, origin: started.origin, close: () => started.close() };
    await sleep(250); // someone else is binding the port right now: ask again
  }
  const own = await MockIssuer.start();
  return { url: own.url, origin: own.origin, close: () => own.close() };
}

/** The mock gateway's environments, each its own issuer with its own keys (see DEV_ENVIRONMENTS). */
export function devIssuers(
  environments: readonly { name: string; port: number }[] = DEV_ENVIRONMENTS,
): Promise<DevIssuer[]> {
  return Promise.all(
    environments.map(async ({ name, port }) => ({ name, ...(await joinOrStartIssuer(port)) })),
  );
}
