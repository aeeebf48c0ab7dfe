import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { StarterError } from './error.ts';

/**
 * The file in an app that says what each runtime besides Node adds to it. The starter tool reads
 * it and never copies it: the app knows its runtimes, the tool only applies the list.
 */
export const RUNTIMES_FILE = 'runtimes.json';

export interface Runtime {
  /** Files and folders (from the app's root) that only this runtime uses: entry, launcher, config. */
  files: string[];
  /** package.json scripts that only this runtime uses. */
  scripts: string[];
  /** devDependencies that only this runtime needs (its binary's npm package). */
  devDependencies: string[];
  /** The script that builds it and the one that starts it, as the app's README says. */
  build: string;
  start: string;
}

/** An app's runtimes besides Node, by name; none for an app without a runtimes file. */
export function readRuntimes(appDir: string): Record<string, Runtime> {
  const path = join(appDir, RUNTIMES_FILE);
  if (!existsSync(path)) return {};
  return (JSON.parse(readFileSync(path, 'utf8')) as { runtimes: Record<string, Runtime> }).runtimes;
}

/** What a starter leaves out of the app: every file, script and devDependency of the runtimes not chosen. */
export interface LeftOut {
  files: Set<string>;
  scripts: Set<string>;
  devDependencies: Set<string>;
}

/** Checks the choice (a usage error names the choices) and says what to leave out. */
export function leaveOut(app: string, runtimes: Record<string, Runtime>, chosen: readonly string[]): LeftOut {
  const names = Object.keys(runtimes);
  for (const name of chosen) {
    if (names.length === 0) throw new StarterError(`${app} runs on Node only: it has no --runtime to choose`);
    if (!Object.hasOwn(runtimes, name)) {
      throw new StarterError(`${app} has no runtime "${name}"; choose one of: ${names.join(', ')}`);
    }
  }
  const fieldOf = (field: 'files' | 'scripts' | 'devDependencies') => {
    const kept = new Set(chosen.flatMap((name) => runtimes[name]?.[field] ?? []));
    const others = names.filter((name) => !chosen.includes(name));
    return new Set(others.flatMap((name) => runtimes[name]?.[field] ?? []).filter((item) => !kept.has(item)));
  };
  return {
    files: fieldOf('files'),
    scripts: fieldOf('scripts'),
    devDependencies: fieldOf('devDependencies'),
  };
}

/**
 * The runtimes file must match the app: every file, script and devDependency it names exists, and
 * no script a starter keeps runs a file or script it leaves out. A mismatch is this repository's
 * bug (a plain Error), caught by the starter's tests before a user meets it.
 */
export function checkRuntimes(
  appDir: string,
  runtimes: Record<string, Runtime>,
  manifest: { scripts: Record<string, string>; devDependencies?: Record<string, string> },
): void {
  const problems: string[] = [];
  for (const [name, runtime] of Object.entries(runtimes)) {
    for (const file of runtime.files ?? []) {
      if (!existsSync(join(appDir, file))) problems.push(`${name}: no file ${file}`);
    }
    for (const script of [...(runtime.scripts ?? []), runtime.build, runtime.start]) {
      if (manifest.scripts[script] === undefined) problems.push(`${name}: no script ${script}`);
    }
    for (const dep of runtime.devDependencies ?? []) {
      if (manifest.devDependencies?.[dep] === undefined) problems.push(`${name}: no devDependency ${dep}`);
    }
  }
  // Node alone, and Node with each runtime: what the starter keeps must not need what it leaves out.
  for (const chosen of [[], ...Object.keys(runtimes).map((name) => [name])]) {
    const out = leaveOut('', runtimes, chosen);
    for (const [script, command] of Object.entries(manifest.scripts)) {
      if (out.scripts.has(script)) continue;
      const files = [...out.files].filter((file) => command.includes(file));
      const scripts = command.split(/\s+/).filter((word) => out.scripts.has(word));
      const uses = [...files, ...scripts].join(', ');
      if (uses) problems.push(`${['node', ...chosen].join('+')}: script ${script} uses ${uses}, left out`);
    }
  }
  if (problems.length > 0)
    throw new Error(`${join(appDir, RUNTIMES_FILE)} does not match the app:\n${problems.join('\n')}`);
}
