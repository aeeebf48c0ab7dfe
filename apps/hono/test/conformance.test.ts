import { describeConformance } from '@repo/conformance/vitest';
import { target } from './targets.ts';

// The black-box suite against the Node build (`pnpm start`): every algorithm.
describeConformance(target('node'));
