import { describeConformance } from '@repo/conformance/vitest';
import { target } from './targets.ts';

// The black-box suite against the same build on deno (`pnpm start:deno`).
describeConformance(target('deno'));
