import { algorithms } from './cases/algorithms.ts';
import { allowList } from './cases/allow-list.ts';
import { backoff } from './cases/backoff.ts';
import { claims } from './cases/claims.ts';
import { config } from './cases/config.ts';
import { credentials } from './cases/credentials.ts';
import { customHeader } from './cases/custom-header.ts';
import { defaults } from './cases/defaults.ts';
import { discovery } from './cases/discovery.ts';
import { forgeries } from './cases/forgeries.ts';
import { headerKeys } from './cases/header-keys.ts';
import { issuers } from './cases/issuers.ts';
import { jwksFetch } from './cases/jwks-fetch.ts';
import { keysColdOutage, keysHung, keysLifecycle } from './cases/keys.ts';
import { refresh } from './cases/refresh.ts';
import { routes } from './cases/routes.ts';
import { shutdown } from './cases/shutdown.ts';
import { structure } from './cases/structure.ts';
import { wycheproof } from './cases/wycheproof.ts';
import type { Group } from './model.ts';

/** The contract, in order: every group runs against every target. */
export const suite: Group[] = [
  routes,
  credentials,
  customHeader,
  algorithms,
  allowList,
  forgeries,
  headerKeys,
  claims,
  structure,
  defaults,
  wycheproof,
  keysLifecycle,
  keysHung,
  keysColdOutage,
  refresh,
  jwksFetch,
  backoff,
  discovery,
  issuers,
  config,
  shutdown,
];
