/**
 * `pnpm starter <app> <folder> [--runtime <name>]`: a standalone copy of one app, ready for
 * `npm install`. Run through pnpm from the repository root, so a relative folder is taken from
 * where the command was typed (INIT_CWD), not from this package.
 */
import { isAbsolute, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { nextSteps } from './next-steps.ts';
import { listApps, listRuntimes, makeStarter, StarterError } from './starter.ts';

const withRuntimes = listApps()
  .map((app) => [app, Object.keys(listRuntimes(app))] as const)
  .filter(([, names]) => names.length > 0);

const USAGE = `Usage: pnpm starter <app> <folder> [--runtime <name>]

Copies apps/<app> into <folder> (new or empty) as a project of its own: no node_modules or build
output, no @repo/* dependencies, no tests that need this repository, the mock issuer for
\`npm run dev\` bundled in, and the MIT-0 licence. A starter runs on Node; the other runtimes an
app supports are left out (entry files, scripts, devDependencies) unless you add them:

${withRuntimes.map(([app, names]) => `  ${app.padEnd(10)}  --runtime ${names.join(' | ')}`).join('\n')}

  <app>       one of: ${listApps().join(', ')}
  <folder>    where to put it, e.g. ../my-service

Options:
  --runtime <name>  add that runtime next to Node (repeat the option for more than one)
  -h, --help        show this help`;

function usageError(message: string): never {
  console.error(`pnpm starter: ${message}\n\n${USAGE}`);
  process.exit(2);
}

const ARGS = {
  options: { help: { type: 'boolean', short: 'h' }, runtime: { type: 'string', multiple: true } },
  allowPositionals: true,
} as const;
let parsed: ReturnType<typeof parseArgs<typeof ARGS>>;
try {
  parsed = parseArgs(ARGS);
} catch (error) {
  usageError((error as Error).message);
}
if (parsed.values.help) {
  console.log(USAGE);
  process.exit(0);
}
const [app, folder, ...extra] = parsed.positionals;
if (!app || !folder) usageError('give an app and a folder');
if (extra.length > 0) usageError(`unexpected argument "${extra[0]}"`);
const runtimes = [...new Set(parsed.values.runtime ?? [])];

const cwd = process.env.INIT_CWD ?? process.cwd();
try {
  const { dest } = await makeStarter(app, resolve(cwd, folder), { runtimes });
  const shown = isAbsolute(folder) ? dest : relative(cwd, dest);
  console.log(nextSteps({ app, shown, chosen: runtimes, runtimes: listRuntimes(app) }));
} catch (error) {
  if (!(error instanceof StarterError)) throw error;
  usageError(error.message);
}
