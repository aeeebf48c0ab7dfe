// The contract, black-box, against the node-server build (`pnpm start`), built by global-setup.
import { describeConformance } from '@repo/conformance/vitest';
import { ALGORITHMS } from '../server/jwt/index.js';
import { cwd, TARGETS } from './targets';

describeConformance({ name: 'nitro', command: TARGETS.node.command, cwd, algorithms: ALGORITHMS });
