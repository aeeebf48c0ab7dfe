import { AsyncLocalStorage } from 'node:async_hooks';
import type { Kind } from './kinds.ts';

/**
 * `security`: what a careful backend must do whatever its wording (status class, nothing fetched
 * from a token, fetch counts and timings, start-up refusals by exit code). `contract`: this
 * project's exact answers on top (bodies, codes, `WWW-Authenticate`, `Retry-After`).
 */
export type Profile = 'security' | 'contract';
export const PROFILES: readonly Profile[] = ['security', 'contract'];

export interface Failure {
  profile: Profile;
  kind: Kind;
  /** The full line, its label first ("tcId 3 (...): got 500"). */
  message: string;
  /** What it happened to, when labelled (one token of a batch, one outage fault). */
  label?: string;
}

type Message = string | (() => string);
const text = (message: Message) => (typeof message === 'string' ? message : message());

/** Every expectation a case made that did not hold, not only the first. */
export class Expectations {
  readonly failures: Failure[] = [];
  readonly checked: Record<Profile, number> = { security: 0, contract: 0 };

  record(profile: Profile, kind: Kind, ok: boolean, message: Message, label = ''): boolean {
    this.checked[profile]++;
    if (!ok)
      this.failures.push({
        profile,
        kind,
        message: label + text(message),
        ...(label && { label: label.slice(0, -2) }),
      });
    return ok;
  }
}

interface Scope {
  into: Expectations;
  label: string;
}

// The case being run: concurrent requests inside one case (a burst, a flood) all land in its record.
const current = new AsyncLocalStorage<Scope>();

/** Runs `fn` with its expectations collected into `into` instead of thrown. */
export function collecting<T>(into: Expectations, fn: () => Promise<T>): Promise<T> {
  return current.run({ into, label: '' }, fn);
}

/** Runs `fn` with its failures prefixed by `label` (one token of a batch, one outage kind). */
export function labelled<T>(label: string, fn: () => Promise<T>): Promise<T> {
  const scope = current.getStore();
  if (!scope) return fn();
  return current.run({ into: scope.into, label: `${scope.label}${label}: ` }, fn);
}

/**
 * One expectation. Inside a case it is recorded and the case goes on; outside one (a unit test,
 * a helper called on its own) a failure throws, as an assertion would.
 */
export function check(profile: Profile, kind: Kind, ok: boolean, message: Message): boolean {
  const scope = current.getStore();
  if (!scope) {
    if (!ok) throw new Error(text(message));
    return ok;
  }
  return scope.into.record(profile, kind, ok, message, scope.label);
}

export const security = (kind: Kind, ok: boolean, message: Message) => check('security', kind, ok, message);
export const contract = (kind: Kind, ok: boolean, message: Message) => check('contract', kind, ok, message);

/** Whether a failure tagged `failed` makes a case fail under `profile` (security ⊂ contract). */
export const counts = (failed: Profile, profile: Profile) => profile === 'contract' || failed === 'security';

/** Deep equality of JSON values, for body and claim checks. */
export function sameJson(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([x], [y]) => (x < y ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}
