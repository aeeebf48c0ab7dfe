/** Configuration errors at start-up: one line naming the variable, exit 1, before Nest starts. */
import { fileURLToPath } from 'node:url';
import { runExpectingExit } from '@repo/test-fixtures';
import { describe, expect, it } from 'vitest';

const cwd = fileURLToPath(new URL('..', import.meta.url));

describe('the built server at start-up', () => {
  it.each([
    ['JWT_ISSUER', {}],
    ['JWT_ALGORITHMS', { JWT_ISSUER: 'http://127.0.0.1:9', JWT_ALGORITHMS: 'HS256' }],
    ['JWT_JWKS_MAX_AGE', { JWT_ISSUER: 'http://127.0.0.1:9', JWT_JWKS_MAX_AGE: 'ten' }],
    ['PORT', { JWT_ISSUER: 'http://127.0.0.1:9', PORT: 'eighty' }],
  ])('refuses to start on a bad %s: one line naming it, exit 1', async (variable, env) => {
    const command = [process.execPath, 'dist/main.js'];
    const { code, output } = await runExpectingExit({ command, cwd, env: { NO_COLOR: '1', ...env } });
    expect(code).toBe(1);
    expect(output.trim().split('\n')).toHaveLength(1);
    expect(output).toContain(variable);
  });
});
