import { algorithms } from './cases/algorithms.ts';
import { credentials } from './cases/credentials.ts';
import { routes } from './cases/routes.ts';
import type { Group } from './model.ts';

/** The contract, in order: every group runs against every target. */
export const suite: Group[] = [routes, credentials, algorithms];
