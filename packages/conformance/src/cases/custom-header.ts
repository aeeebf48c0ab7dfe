import { labelled } from '../check.ts';
import { expectGranted, expectInvalid, expectMissing } from '../expect.ts';
import type { CaseContext, Group } from '../model.ts';

/** The policy's `headerName`, as a team that keeps `Authorization` for the end user sets it. */
const HEADER = 'x-gateway-token';

const send = (ctx: CaseContext, value: string | undefined, authorization?: string) =>
  ctx.get('/protected', {
    ...(value !== undefined && { headers: { [HEADER]: value } }),
    ...(authorization !== undefined && { authorization }),
  });

/** A token whose signature is another one's: invalid, whatever header it comes in. */
const forged = (ctx: CaseContext) => {
  const [head, body] = ctx.mint({ sub: 'forged', scope: 'admin' }).split('.');
  return `${head}.${body}.${ctx.mint().split('.')[2]}`;
};

/**
 * `JWT_HEADER=x-gateway-token`: the token comes only in that header, with the `Bearer` prefix
 * (any case) or, with `JWT_TOKEN_PREFIX` empty, as the whole value; `Authorization` is the
 * application's, never read as the token. The answers are the contract's, challenge included.
 */
export const customHeader: Group = {
  id: 'custom-header',
  needs: ['JWT_HEADER', 'restart'],
  instance: {
    issuer: { algorithms: ['RS256'] },
    env: (issuer) => ({ JWT_ISSUER: issuer.url, JWT_ALGORITHMS: 'RS256', JWT_HEADER: HEADER }),
  },
  notApplicable: (target) => (target.algorithms.includes('RS256') ? undefined : 'does not claim RS256'),
  cases: [
    {
      id: 'prefixed',
      title: `${HEADER}: Bearer <token> (any case) 200; the bare token or no header: 401 missing_token`,
      async run(ctx) {
        const token = ctx.mint({ sub: 'gateway' });
        for (const prefix of ['Bearer', 'bearer'])
          await labelled(prefix, async () =>
            expectGranted(await send(ctx, `${prefix} ${token}`), { sub: 'gateway' }),
          );
        await labelled('bare token', async () => expectMissing(await send(ctx, token)));
        await labelled('no header', async () => expectMissing(await send(ctx, undefined)));
      },
    },
    {
      id: 'authorization-left-alone',
      title: 'Authorization is not the token: alone 401 missing_token; beside a valid token, anything goes',
      async run(ctx) {
        const token = ctx.mint({ sub: 'gateway' });
        const user = ctx.mint({ sub: 'end-user' });
        await labelled('only Authorization: Bearer <valid>', async () =>
          expectMissing(await send(ctx, undefined, `Bearer ${user}`)),
        );
        for (const authorization of ['Basic dXNlcjpwYXNz', 'Bearer not-a-jwt', `Bearer ${forged(ctx)}`])
          await labelled(`Authorization: ${authorization.slice(0, 20)}`, async () =>
            expectGranted(await send(ctx, `Bearer ${token}`, authorization), { sub: 'gateway' }),
          );
        const bad = forged(ctx);
        await labelled('forged in the header, valid in Authorization', async () =>
          expectInvalid(await send(ctx, `Bearer ${bad}`, `Bearer ${user}`), bad),
        );
      },
    },
    {
      id: 'no-prefix',
      title: `JWT_TOKEN_PREFIX empty: ${HEADER}: <token> 200; Bearer <token> 401 invalid_token`,
      needs: ['JWT_TOKEN_PREFIX'],
      async run(ctx) {
        const own = await ctx.launch({
          issuer: { algorithms: ['RS256'] },
          env: (issuer) => ({
            JWT_ISSUER: issuer.url,
            JWT_ALGORITHMS: 'RS256',
            JWT_HEADER: HEADER,
            JWT_TOKEN_PREFIX: '',
          }),
        });
        const token = own.mint({ sub: 'bare' });
        await labelled('the whole value', async () => expectGranted(await send(own, token), { sub: 'bare' }));
        await labelled('Bearer <token>', async () =>
          expectInvalid(await send(own, `Bearer ${token}`), token),
        );
        await labelled('only Authorization', async () =>
          expectMissing(await send(own, undefined, `Bearer ${token}`)),
        );
      },
    },
  ],
};
