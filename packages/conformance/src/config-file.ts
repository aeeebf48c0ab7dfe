import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { ALGORITHMS, type Alg, isAlg } from '@repo/test-fixtures';
import { PROFILES, type Profile } from './check.ts';
import { suite } from './suite.ts';
import { type Routes, type Target, VARIABLES, type Variable } from './target.ts';
import { UsageError } from './usage.ts';

/** `conformance.config.json`: a backend described once (README, "Fitting your backend"). */
export interface ConfigFile {
  name?: string;
  command?: string | string[];
  url?: string;
  cwd?: string;
  algorithms?: string[];
  env?: Record<string, string>;
  settings?: Partial<Record<Variable, string | null>>;
  routes?: Partial<Routes>;
  notApplicable?: Record<string, string>;
  profile?: string;
  startTimeout?: number;
  audience?: string;
}

const FIELDS = [
  'name',
  'command',
  'url',
  'cwd',
  'algorithms',
  'env',
  'settings',
  'routes',
  'notApplicable',
  'profile',
  'startTimeout',
  'audience',
];

export function loadConfig(path: string | undefined, callerDir: string): { file: ConfigFile; dir: string } {
  const explicit = path !== undefined;
  const full = resolve(callerDir, path ?? 'conformance.config.json');
  if (!existsSync(full)) {
    if (explicit) throw new UsageError(`--config: no file at ${full}`);
    return { file: {}, dir: callerDir };
  }
  let file: ConfigFile;
  try {
    file = JSON.parse(readFileSync(full, 'utf8'));
  } catch (error) {
    throw new UsageError(`${full}: not JSON (${(error as Error).message})`);
  }
  const bad = Object.keys(file).filter((k) => !FIELDS.includes(k));
  if (bad.length)
    throw new UsageError(`${full}: unknown field ${bad.join(', ')} (known: ${FIELDS.join(', ')})`);
  return { file, dir: dirname(full) };
}

export function parseAlgorithms(list: string[], where: string): Alg[] {
  const unknown = list.filter((a) => !isAlg(a));
  if (unknown.length)
    throw new UsageError(`${where}: ${unknown.join(', ')} not among ${ALGORITHMS.join(' ')}`);
  return list.filter(isAlg);
}

export function parseProfile(value: string | undefined, where: string): Profile | undefined {
  if (value === undefined) return undefined;
  if (!(PROFILES as readonly string[]).includes(value))
    throw new UsageError(`${where}: "${value}" is not security or contract`);
  return value as Profile;
}

/** Checks the parts of a config that a typo would silently turn into "applies", "no setting" or a wrong route. */
export function checkTargetFields(file: ConfigFile, where: string): void {
  for (const key of Object.keys(file.settings ?? {})) {
    if (!(VARIABLES as readonly string[]).includes(key))
      throw new UsageError(`${where}: settings.${key} is not a contract variable (${VARIABLES.join(' ')})`);
  }
  for (const key of Object.keys(file.routes ?? {})) {
    if (!['health', 'protected', 'scope'].includes(key))
      throw new UsageError(`${where}: routes.${key} is not health, protected or scope`);
  }
  const known = new Set(suite.flatMap((g) => [g.id, ...g.cases.map((c) => `${g.id}/${c.id}`)]));
  for (const key of Object.keys(file.notApplicable ?? {})) {
    if (!known.has(key))
      throw new UsageError(`${where}: notApplicable "${key}" names no group or case (see --list)`);
  }
}

/** The target from a config file and the flags (flags win). */
export function targetFrom(
  file: ConfigFile,
  dir: string,
  flags: { cmd?: string; cwd?: string; name?: string; algorithms?: string },
  callerDir: string,
): Target {
  const command =
    flags.cmd !== undefined
      ? ['sh', '-c', flags.cmd]
      : typeof file.command === 'string'
        ? ['sh', '-c', file.command]
        : (file.command ?? []);
  const cwd =
    flags.cwd !== undefined
      ? resolve(callerDir, flags.cwd)
      : file.cwd !== undefined
        ? isAbsolute(file.cwd)
          ? file.cwd
          : resolve(dir, file.cwd)
        : dir;
  const algorithms =
    flags.algorithms !== undefined
      ? parseAlgorithms(
          flags.algorithms.split(',').map((a) => a.trim()),
          '--algorithms',
        )
      : parseAlgorithms(file.algorithms ?? ['RS256'], 'config algorithms');
  checkTargetFields(file, 'config');
  return {
    name: flags.name ?? file.name ?? 'backend',
    command,
    cwd,
    algorithms,
    env: file.env,
    settings: file.settings,
    routes: file.routes,
    notApplicable: file.notApplicable,
    startTimeout: file.startTimeout,
    audience: file.audience,
  };
}
