// The tests start each target as test/targets.ts says; this checks that is what package.json's
// start scripts run, so the scripts users run are the ones tested.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TARGETS } from './targets';

const { scripts } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  scripts: Record<string, string>;
};

describe('the start scripts', () => {
  it.each(Object.entries(TARGETS))('%s runs what the tests start', (_, target) => {
    const env = Object.entries(target.env).map(([name, value]) => `${name}=${value} `);
    const [, ...args] = target.command;
    expect(scripts[target.script]).toBe(`${env.join('')}${[target.runtime, ...args].join(' ')}`);
  });
});
