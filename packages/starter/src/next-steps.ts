import type { Runtime } from './runtimes.ts';

/** What `pnpm starter` prints once the starter is made: the commands to run there, in order. */
export function nextSteps(options: {
  app: string;
  shown: string;
  chosen: readonly string[];
  runtimes: Record<string, Runtime>;
}): string {
  const { app, shown, chosen, runtimes } = options;
  const lines = [
    `Made ${shown} from apps/${app}, for ${['Node', ...chosen].join(', ')}. Next:`,
    '',
    `  cd ${shown}`,
    '  npm install',
    '  npm run dev     # the app and a local mock issuer; prints curl commands with fresh tokens',
    "  npm test        # builds, then runs the app's own tests",
  ];
  for (const name of chosen) {
    const runtime = runtimes[name] as Runtime;
    lines.push(`  npm run ${runtime.build} && npm run ${runtime.start}   # on ${name}, with JWT_ISSUER set`);
  }
  lines.push('', 'Point it at your gateway with JWT_ISSUER (see README.md).');
  const others = Object.keys(runtimes).filter((name) => !chosen.includes(name));
  if (others.length > 0) {
    lines.push(
      `To add ${others.join(', ')}: make the starter with --runtime <name> (pnpm starter ${app} <folder>`,
      `--runtime ${others[0]}), or copy what apps/${app}/runtimes.json lists for it into this one.`,
    );
  }
  return lines.join('\n');
}
