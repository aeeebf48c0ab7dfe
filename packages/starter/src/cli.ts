/**
 * `pnpm starter <app> <folder>`: a standalone copy of one app, ready for `npm install`.
 * Run through pnpm from the repository root, so a relative folder is taken from where the
 * command was typed (INIT_CWD), not from this package.
 */
import { isAbsolute, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { listApps, makeStarter, StarterError } from './starter.ts';

const USAGE = `Usage: pnpm starter <app> <folder>

Copies apps/<app> into <folder> (new or empty) as a project of its own: no node_modules or build
output, no @repo/* dependencies, no tests that need this repository, the mock issuer for
\`npm run dev\` bundled in, and the MIT-0 licence.

  <app>       one of: ${listApps().join(', ')}
  <folder>    where to put it, e.g. ../my-service

Options:
  -h, --help  show this help`;

function usageError(message: string): never {
  console.error(`pnpm starter: ${message}\n\n${USAGE}`);
  process.exit(2);
}

let parsed: ReturnType<typeof parseArgs>;
try {
  parsed = parseArgs({ options: { help: { type: 'boolean', short: 'h' } }, allowPositionals: true });
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

const cwd = process.env.INIT_CWD ?? process.cwd();
try {
  const { dest } = await makeStarter(app, resolve(cwd, folder));
  const shown = isAbsolute(folder) ? dest : relative(cwd, dest);
  console.log(`Made ${shown} from apps/${app}. Next:

  cd ${shown}
  npm install
  npm run dev     # the app and a local mock issuer; prints curl commands with fresh tokens
  npm test        # builds, then runs the app's own tests

Point it at your gateway with JWT_ISSUER (see README.md).`);
} catch (error) {
  if (!(error instanceof StarterError)) throw error;
  usageError(error.message);
}
