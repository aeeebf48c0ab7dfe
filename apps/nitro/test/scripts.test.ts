// The tests start each target as test/targets.ts says; this checks that is what package.json's
// start scripts run, so the scripts users run are the ones tested. A starter keeps only the
// runtimes it was made with (`pnpm starter nitro <folder> --runtime bun`): Node always, then
// each runtime whose start script is there. In the repository (runtimes.json is never copied
// into a starter) every target must be there.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TARGETS } from './targets';

const { scripts } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  scripts: Record<string, string>;
};
const present = Object.entries(TARGETS).filter(([, target]) => scripts[target.script] !== undefined);
const inRepository = existsSync(new URL('../runtimes.json', import.meta.url));

describe('the start scripts', () => {
  it(`are there for Node${inRepository ? ' and every other runtime' : ''}`, () => {
    const names = present.map(([name]) => name);
    expect(names).toContain('node');
    if (inRepository) expect(names).toEqual(Object.keys(TARGETS));
  });

  it.each(present)('%s runs what the tests start', (_, target) => {
    const env = Object.entries(target.env).map(([name, value]) => `${name}=${value} `);
    const [, ...args] = target.command;
    expect(scripts[target.script]).toBe(`${env.join('')}${[target.runtime, ...args].join(' ')}`);
  });
});
