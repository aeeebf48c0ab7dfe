import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { makeStarter, unapprovedInstallScripts } from '@repo/starter';

/**
 * Makes a starter from an app exactly as a user does (`pnpm starter <app> <folder>`), outside the
 * workspace, then follows the steps it prints: `npm install`, `npm test` (the app's own tests,
 * which build it), and the build the suite then runs. Returns the new folder.
 */
export async function copyApp(appDir: string, build: string[] = ['npm', 'run', 'build']): Promise<string> {
  const dest = join(mkdtempSync(join(tmpdir(), 'starter-')), basename(appDir));
  await makeStarter(basename(appDir), dest);
  const run = (cmd: string[]) => {
    const [bin, ...args] = cmd;
    try {
      execFileSync(bin as string, args, {
        cwd: dest,
        stdio: 'pipe',
        timeout: 600_000,
        env: { ...process.env, CI: 'true' },
      });
    } catch (error) {
      const { stdout, stderr } = error as { stdout?: Buffer; stderr?: Buffer };
      const tail = `${stdout ?? ''}${stderr ?? ''}`.trim().split('\n').slice(-30).join('\n');
      throw new Error(`\`${cmd.join(' ')}\` failed in the starter ${dest}:\n${tail}`);
    }
  };
  run(['npm', 'install', '--no-audit', '--no-fund', '--loglevel=error']);
  // Whichever npm ran here: npm 12 runs no install script package.json does not approve.
  const unapproved = unapprovedInstallScripts(dest);
  if (unapproved.length)
    throw new Error(
      `${unapproved.join(', ')}: an install script the app's package.json allowScripts does not approve`,
    );
  run(['npm', 'test']);
  run(build);
  return dest;
}

export function removeCopy(dir: string): void {
  rmSync(dirname(dir), { recursive: true, force: true });
}
