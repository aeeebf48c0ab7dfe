import type { Case, Group, Theme } from './model.ts';
import { routesOf, type Target, VARIABLES, type Variable } from './target.ts';

// Groups added later fall into a theme here, without touching their files.
const THEMES: Record<string, Theme> = {
  routes: 'errors',
  credentials: 'errors',
  structure: 'errors',
  algorithms: 'forgeries and algorithms',
  forgeries: 'forgeries and algorithms',
  'header-keys': 'forgeries and algorithms',
  wycheproof: 'forgeries and algorithms',
  'allow-list': 'forgeries and algorithms',
  claims: 'claims',
  defaults: 'claims',
  keys: 'keys and outages',
  'keys-cold-outage': 'keys and outages',
  refresh: 'keys and outages',
  'jwks-fetch': 'keys and outages',
  backoff: 'keys and outages',
  issuers: 'keys and outages',
  discovery: 'keys and outages',
  'custom-header': 'errors',
  config: 'start-up',
  shutdown: 'start-up',
};

export const THEME_ORDER: Theme[] = [
  'forgeries and algorithms',
  'claims',
  'errors',
  'keys and outages',
  'start-up',
];

export const themeOf = (group: Group): Theme => group.theme ?? THEMES[group.id] ?? 'errors';

/**
 * Why `c` does not apply to `target`, or `undefined` when it does. `byUrl`: the backend was
 * started by hand, so nothing that restarts it with other settings can run.
 */
export function whyNotApplicable(target: Target, group: Group, c: Case, byUrl = false): string | undefined {
  const told = target.notApplicable?.[`${group.id}/${c.id}`] ?? target.notApplicable?.[group.id];
  if (told !== undefined) return told || 'said not applicable';
  if (target.audience && group.id === 'defaults')
    return 'it requires an audience; this group sets JWT_ISSUER alone';
  if (byUrl && group.instance !== 'main') return 'starts the backend with other settings (needs --cmd)';
  for (const need of [...(group.needs ?? []), ...(c.needs ?? [])]) {
    if (need === 'scope-route' && routesOf(target).scope === null) return 'the backend has no scope route';
    if (need === 'restart' && byUrl) return 'starts the backend with other settings (needs --cmd)';
    if ((VARIABLES as readonly string[]).includes(need) && target.settings?.[need as Variable] === null) {
      return `the backend has no setting for ${need}`;
    }
  }
  return group.notApplicable?.(target, byUrl) ?? c.notApplicable?.(target, byUrl);
}
