import { type Config, ConfigError, readConfig, readPort } from './jwt/index.js';

/** The contract's port for this app when PORT is unset. */
export const DEFAULT_PORT = 3002;

export type Settings = { config: Config; port: number } | { error: string };

/**
 * PORT and the JWT_* variables, from whatever holds them on this runtime. A bad value is one
 * line naming the variable, which each entry prints before exiting 1 (never a stack trace).
 */
export function readSettings(env: Record<string, string | undefined>): Settings {
  try {
    return { config: readConfig(env), port: readPort(env, DEFAULT_PORT) };
  } catch (error) {
    return { error: error instanceof ConfigError ? error.message : 'The configuration could not be read.' };
  }
}

/** The start-up line every runtime prints once it listens. */
export const listening = (runtime: string, port: number, config: Config) =>
  `hono on ${runtime} listening on port ${port}; issuer ${config.issuers.join(', ')}; algorithms ${config.algorithms.join(',')}`;
