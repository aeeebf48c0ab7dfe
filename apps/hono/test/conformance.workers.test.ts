import { describeConformance } from '@repo/conformance/vitest';
import { target } from './targets.ts';

// The black-box suite against the same build on workers (`pnpm start:workers`).
describeConformance(target('workers'));
