import { describe, expect, it } from 'vitest';
import type { AuthError } from '../src/errors.ts';
import { requireScope } from '../src/scope.ts';

describe('requireScope', () => {
  it('passes when the space-separated scope holds the exact item', () => {
    expect(() => requireScope({ scope: 'read admin write' }, 'admin')).not.toThrow();
    expect(() => requireScope({ scope: 'admin' }, 'admin')).not.toThrow();
  });

  it.each([
    ['no scope', {}],
    ['another scope', { scope: 'read write' }],
    ['a longer word', { scope: 'administrator read:admin' }],
    ['another case', { scope: 'ADMIN' }],
    ['an array', { scope: ['admin'] }],
  ])('%s: 403 insufficient_scope naming the scope', (_, claims) => {
    let error: AuthError | undefined;
    try {
      requireScope(claims, 'admin');
    } catch (e) {
      error = e as AuthError;
    }
    expect([error?.status, error?.code, error?.headers['www-authenticate']]).toEqual([
      403,
      'insufficient_scope',
      'Bearer realm="api", error="insufficient_scope", scope="admin"',
    ]);
  });
});
