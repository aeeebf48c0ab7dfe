import type { Profile } from './check.ts';
import { reasonOf } from './report.ts';
import { failuresUnder, type RunResult, tally, verdict, whyNotCounted } from './results.ts';

const xml = (text: string) =>
  text.replace(
    /[<>&"']/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] ?? c,
  );

/** JUnit XML for CI: one testsuite per group, one testcase per case; not applicable is `skipped`. */
export function toJunit(run: RunResult, profile: Profile): string {
  const groups = [...new Set(run.results.map((r) => r.group))];
  const all = tally(run.results, profile);
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${xml(`conformance ${run.target} (${profile})`)}" tests="${run.results.length}" failures="${all.failed}" skipped="${all['not applicable']}" time="${run.seconds}">`,
  ];
  for (const group of groups) {
    const results = run.results.filter((r) => r.group === group);
    const t = tally(results, profile);
    out.push(
      `  <testsuite name="${xml(group)}" tests="${results.length}" failures="${t.failed}" skipped="${t['not applicable']}">`,
    );
    for (const r of results) {
      const v = verdict(r, profile);
      const open = `    <testcase classname="${xml(`${run.target}.${group}`)}" name="${xml(r.id)}" time="${r.ms / 1000}"`;
      if (v === 'ok') out.push(`${open}/>`);
      else if (v === 'not applicable')
        out.push(
          `${open}><skipped message="${xml(`not applicable: ${whyNotCounted(r, profile)}`)}"/></testcase>`,
        );
      else {
        const detail = failuresUnder(r, profile)
          .map((f) => `[${f.profile}] ${f.message}`)
          .join('\n');
        out.push(
          `${open}><failure message="${xml(reasonOf(r, profile))}">${xml(detail)}</failure></testcase>`,
        );
      }
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>', '');
  return out.join('\n');
}
