import { describeCopiedApp } from '@repo/conformance/vitest';
import { target } from './targets.ts';

// A starter made from the app, installed with npm, tested, built, and run through the suite (Node).
describeCopiedApp({ ...target('node'), name: 'hono' });
