import { describe, expect, it } from 'vitest';
import { contract, security } from '../src/check.ts';
import type { CaseContext, Group } from '../src/model.ts';
import { verdict, whyNotCounted } from '../src/results.ts';
import { runCase } from '../src/runner.ts';

const group: Group = { id: 'g', instance: 'none', cases: [] };
const ctx = {} as CaseContext;
const caseOf = (run: () => Promise<unknown>) => ({ id: 'c', title: 'c', run });

describe('every case is isolated and every expectation counts', () => {
  it('records each failed expectation with its profile, and goes on after one fails', async () => {
    const result = await runCase(
      group,
      caseOf(async () => {
        security('wrong-status', false, 'one');
        contract('wrong-wording', false, 'two');
        security('server-error', true, 'holds');
        contract('wrong-wording', false, 'three');
      }),
      ctx,
    );
    expect(result.failures).toEqual([
      { profile: 'security', kind: 'wrong-status', message: 'one' },
      { profile: 'contract', kind: 'wrong-wording', message: 'two' },
      { profile: 'contract', kind: 'wrong-wording', message: 'three' },
    ]);
  });

  it('turns a throw into a failure of the case under both profiles', async () => {
    const result = await runCase(
      group,
      caseOf(async () => {
        contract('wrong-wording', false, 'before');
        throw new TypeError('boom');
      }),
      ctx,
    );
    expect(result.failures).toEqual([
      { profile: 'contract', kind: 'wrong-wording', message: 'before' },
      { profile: 'security', kind: 'case-error', message: 'the case stopped: boom' },
    ]);
  });

  it('records a promise the case forgot to await, instead of letting Node exit', async () => {
    const result = await runCase(
      group,
      caseOf(async () => {
        Promise.reject(new Error('stray'));
        await new Promise((resolve) => setTimeout(resolve, 50));
      }),
      ctx,
    );
    expect(result.failures).toEqual([
      { profile: 'security', kind: 'case-error', message: 'the suite: unhandled rejection (stray)' },
    ]);
  });

  it('fails a case that stalls, and returns', async () => {
    const result = await runCase(
      group,
      caseOf(() => new Promise(() => {})),
      ctx,
      200,
    );
    expect(result.failures).toEqual([
      { profile: 'security', kind: 'case-error', message: 'the case stopped: did not finish within 0.2 s' },
    ]);
  });

  it('counts a case with no security expectation as not applicable under security, never as passed', async () => {
    const result = await runCase(
      group,
      caseOf(async () => contract('wrong-wording', true, 'exact body')),
      ctx,
    );
    expect([verdict(result, 'contract'), verdict(result, 'security')]).toEqual(['ok', 'not applicable']);
    expect(whyNotCounted(result, 'security')).toBe('no security expectation (contract profile only)');
  });
});
