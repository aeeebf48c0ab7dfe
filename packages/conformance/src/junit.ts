import reportBuilder, { type Builder } from 'junit-report-builder';
import type { Profile } from './check.ts';
import { reasonOf } from './report.ts';
import { failuresUnder, type RunResult, verdict, whyNotCounted } from './results.ts';

// A CommonJS module whose `module.exports` is the builder, though its types declare a default export.
const junit = reportBuilder as unknown as Builder;

/**
 * JUnit XML for CI: one testsuite per group, one testcase per case; a failure carries its first
 * reason and every failed expectation; not applicable is `skipped`, its reason in system-out.
 */
export function toJunit(run: RunResult, profile: Profile): string {
  const builder = junit.newBuilder();
  for (const group of new Set(run.results.map((r) => r.group))) {
    const suite = builder.testSuite().name(group);
    for (const r of run.results.filter((r) => r.group === group)) {
      const test = suite
        .testCase()
        .className(`${run.target}.${group}`)
        .name(r.id)
        .time(r.ms / 1000);
      const v = verdict(r, profile);
      if (v === 'not applicable')
        test.skipped().standardOutput(`not applicable: ${whyNotCounted(r, profile)}`);
      if (v === 'failed') {
        const detail = failuresUnder(r, profile).map((f) => `[${f.profile} ${f.kind}] ${f.message}`);
        test.failure(reasonOf(r, profile)).stacktrace(detail.join('\n'));
      }
    }
  }
  return builder.build();
}
