import { describeConformance } from '@repo/conformance/vitest';
import { target } from './targets.ts';

// The black-box suite against the same build on bun (`pnpm start:bun`).
describeConformance(target('bun'));
