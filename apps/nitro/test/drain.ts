import { MockIssuer } from '@repo/test-fixtures';
import { expect, it } from 'vitest';
import { type Start, startTarget } from './targets';

/**
 * SIGTERM while a request waits on the JWKS: the request still gets its 200, then the process
 * exits 0 (issue 11: a request in flight is never cut).
 */
export function itDrainsOnSigterm(target: Start): void {
  it('lets a request in flight finish on SIGTERM, then exits 0', async () => {
    const issuer = await MockIssuer.start({ algorithms: ['EdDSA'] });
    try {
      await issuer.fault('delay');
      const { url, server } = await startTarget(target, { JWT_ISSUER: issuer.url });
      try {
        const before = issuer.jwksRequests;
        const pending = fetch(`${url}/protected`, { headers: { authorization: `Bearer ${issuer.mint()}` } });
        await expect.poll(() => issuer.jwksRequests).toBe(before + 1);
        server.child.kill('SIGTERM');
        expect((await pending).status).toBe(200);
        expect((await server.exited).code).toBe(0);
      } finally {
        await server.stop();
      }
    } finally {
      await issuer.close();
    }
  });
}
