import { b64u } from '@repo/test-fixtures';
import { contract, security } from '../check.ts';
import { describe, expectNoServerError, statusKind } from '../expect.ts';
import type { CaseContext, Group } from '../model.ts';
import { expectAllInvalid } from './batch.ts';

export const MAX_TOKEN = 8192;

/** A validly signed token of exactly `length` characters, padded through a claim and a header field. */
function tokenOfLength(ctx: CaseContext, length: number): string {
  const probe = ctx.mint({ pad: '' }, { header: { pad: '' } }).length;
  for (let extra = Math.max(0, Math.floor(((length - probe) * 3) / 4) - 8); extra < length; extra++) {
    for (let h = 0; h < 4; h++) {
      const token = ctx.mint({ pad: 'x'.repeat(extra) }, { header: { pad: 'y'.repeat(h) } });
      if (token.length === length) return token;
    }
  }
  throw new Error(`could not build a token of ${length} characters`);
}

/** Signs raw header and payload texts with the RS256 key, so only the structure can be wrong. */
const raw = (ctx: CaseContext, header: string, payload: string) =>
  ctx.issuer.mint({}, { headerJson: header, payloadJson: payload, key: ctx.issuer.key('RS256') });

const header = (ctx: CaseContext) => JSON.stringify({ alg: 'RS256', kid: ctx.issuer.key('RS256').kid });
const payload = (ctx: CaseContext) => {
  const [, p = ''] = ctx.mint().split('.');
  return Buffer.from(p, 'base64url').toString();
};

/** RFC 7515 §7.1 (JWS Compact Serialization) and RFC 7519 §7.2 (validation steps). */
export const structure: Group = {
  id: 'structure',
  instance: 'main',
  cases: [
    {
      id: 'segments',
      title: 'one, two, four or five segments, or empty ones: refused',
      async run(ctx) {
        const token = ctx.mint();
        const [h, p, s] = token.split('.');
        await expectAllInvalid(ctx, [
          ['one', `${h}`],
          ['two', `${h}.${p}`],
          ['four', `${token}.${s}`],
          ['five (JWE shape)', `${h}.${p}.${s}.${s}.${s}`],
          ['all empty', '..'],
          ['empty header', `.${p}.${s}`],
          ['empty payload', `${h}..${s}`],
        ]);
      },
    },
    {
      id: 'not-base64url',
      title: 'characters outside base64url, or padded standard base64: refused',
      async run(ctx) {
        const token = ctx.mint();
        const [h, p, s = ''] = token.split('.');
        const std = Buffer.from(s, 'base64url').toString('base64');
        await expectAllInvalid(ctx, [
          ['symbols', '!!!.@@@.###'],
          ['signature as padded base64', `${h}.${p}.${std}`],
          ['header with "="', `${h}=.${p}.${s}`],
          ['percent-encoded', `${h}.${p}.${s}%3D`],
        ]);
      },
    },
    {
      id: 'header-not-object',
      title: 'a header that is not a JSON object (signed over): refused',
      async run(ctx) {
        const p = payload(ctx);
        await expectAllInvalid(ctx, [
          ['not JSON', raw(ctx, '{"alg":"RS256"', p)],
          ['array', raw(ctx, '["RS256"]', p)],
          ['string', raw(ctx, '"RS256"', p)],
          ['number', raw(ctx, '256', p)],
          ['null', raw(ctx, 'null', p)],
          ['no alg', raw(ctx, JSON.stringify({ kid: ctx.issuer.key('RS256').kid }), p)],
        ]);
      },
    },
    {
      id: 'payload-not-object',
      title: 'a validly signed payload that is not a JSON object: refused',
      async run(ctx) {
        const h = header(ctx);
        await expectAllInvalid(ctx, [
          ['not JSON', raw(ctx, h, 'foo')],
          ['truncated JSON', raw(ctx, h, payload(ctx).slice(0, -1))],
          ['array', raw(ctx, h, '[1]')],
          ['string', raw(ctx, h, '"claims"')],
          ['number', raw(ctx, h, '123')],
          ['null', raw(ctx, h, 'null')],
          ['true', raw(ctx, h, 'true')],
        ]);
      },
    },
    {
      id: 'size-limit',
      title: `a valid token of exactly ${MAX_TOKEN} characters gets 200; one character more gets 401`,
      // The limit is this contract's (security: only that no size breaks the server).
      async run(ctx) {
        for (const length of [MAX_TOKEN, MAX_TOKEN + 1, 12_000]) {
          const token = tokenOfLength(ctx, length);
          const reply = await ctx.get('/protected', { token });
          expectNoServerError(reply, token);
          const error = (reply.json as { error?: unknown } | undefined)?.error;
          const wanted =
            length > MAX_TOKEN ? reply.status === 401 && error === 'invalid_token' : reply.status === 200;
          contract('wrong-status', wanted, () => `${length} characters: got ${describe(reply)}`);
        }
      },
    },
    {
      id: 'huge-header',
      title: 'a 60 KiB Authorization header gets a 4xx, and the app keeps serving',
      async run(ctx) {
        const reply = await ctx.get('/protected', { authorization: `Bearer ${b64u('x'.repeat(45_000))}` });
        security(
          statusKind(reply.status),
          reply.status >= 400 && reply.status < 500,
          () => `expected a 4xx, got ${describe(reply)}`,
        );
        const health = await ctx.get('/health');
        security(
          health.status >= 500 ? 'server-error' : 'wrong-status',
          health.status === 200,
          `afterwards, health answered ${health.status}`,
        );
      },
    },
  ],
};
