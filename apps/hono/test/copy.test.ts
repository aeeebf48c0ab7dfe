import { describeCopiedApp } from '@repo/conformance/vitest';
import { describeRuntimeStarters } from '@repo/starter/vitest';
import { target } from './targets.ts';

// A starter made from the app (Node only), installed with npm, tested, built, and run through the suite.
describeCopiedApp({ ...target('node'), name: 'hono' });
// A starter made with `--runtime bun|deno|workers` each: built, started and asked three requests.
describeRuntimeStarters('hono');
