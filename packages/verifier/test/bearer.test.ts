import { describe, expect, it } from 'vitest';
import { bearerToken, checkShape, MAX_TOKEN_LENGTH } from '../src/bearer.ts';
import type { AuthError } from '../src/errors.ts';

const codeOf = (fn: () => unknown) => {
  try {
    fn();
    return 'ok';
  } catch (error) {
    return (error as AuthError).code;
  }
};

describe('bearerToken', () => {
  it('takes the token after "Bearer" in any case and one space', () => {
    expect(['Bearer abc', 'bearer abc', 'BEARER abc', 'bEaReR abc'].map((v) => bearerToken(v))).toEqual([
      'abc',
      'abc',
      'abc',
      'abc',
    ]);
  });

  it.each([
    ['no header', undefined],
    ['null', null],
    ['an empty header', ''],
    ['another scheme', 'Basic dXNlcjpwYXNz'],
    ['a scheme that only starts with Bearer', 'Bearerx abc'],
    ['"Bearer" alone', 'Bearer'],
    ['"Bearer " and nothing', 'Bearer '],
    ['a tab instead of the space', 'Bearer\tabc'],
    ['a leading space', ' Bearer abc'],
  ])('%s is missing_token', (_, value) => {
    expect(codeOf(() => bearerToken(value))).toBe('missing_token');
  });

  it('keeps what follows the one space, so two spaces or extra words fail the shape check', () => {
    expect(bearerToken('Bearer  a.b.c')).toBe(' a.b.c');
    expect(codeOf(() => checkShape(' a.b.c'))).toBe('invalid_token');
    expect(codeOf(() => checkShape(bearerToken('Bearer a.b.c extra')))).toBe('invalid_token');
  });

  it(`accepts ${MAX_TOKEN_LENGTH} characters and refuses one more, unread`, () => {
    expect(bearerToken(`Bearer ${'x'.repeat(MAX_TOKEN_LENGTH)}`)).toHaveLength(MAX_TOKEN_LENGTH);
    expect(codeOf(() => bearerToken(`Bearer ${'x'.repeat(MAX_TOKEN_LENGTH + 1)}`))).toBe('invalid_token');
    expect(codeOf(() => bearerToken(`Bearer ${'x'.repeat(60_000)}`))).toBe('invalid_token');
  });
});

describe("bearerToken with the policy's tokenPrefix", () => {
  it('takes another prefix in any case and one space', () => {
    expect(bearerToken('tOkEn abc', 'Token')).toBe('abc');
    expect(
      ['Bearer abc', 'Tokenabc', 'Token', 'Token '].map((v) => codeOf(() => bearerToken(v, 'Token'))),
    ).toEqual(Array(4).fill('missing_token'));
  });

  it('with no prefix the whole value is the token; nothing is missing_token; the 8 KiB bound holds', () => {
    expect(bearerToken('a.b.c', '')).toBe('a.b.c');
    expect(bearerToken('Bearer a.b.c', '')).toBe('Bearer a.b.c'); // then the shape check refuses it
    expect([undefined, ''].map((v) => codeOf(() => bearerToken(v, '')))).toEqual([
      'missing_token',
      'missing_token',
    ]);
    expect(codeOf(() => bearerToken('a'.repeat(MAX_TOKEN_LENGTH + 1), ''))).toBe('invalid_token');
    expect(bearerToken('a'.repeat(MAX_TOKEN_LENGTH), '')).toHaveLength(MAX_TOKEN_LENGTH);
  });
});

describe('checkShape', () => {
  it('accepts three base64url segments with a canonical signature', () => {
    for (const token of ['eyJh.eyJi.c2ln', 'a-_b.c.AA', 'a.b.AAA', 'a.b.AAAA'])
      expect(codeOf(() => checkShape(token))).toBe('ok');
  });

  it.each([
    ['one segment', 'abc'],
    ['two segments', 'a.b'],
    ['four segments', 'a.b.c.d'],
    ['an empty segment', 'a..c'],
    ['an empty signature', 'a.b.'],
    ['padding', 'a.b.AA=='],
    ['standard base64', 'a.b.a+/b'],
    ['spaces', 'a.b. c'],
    ['percent-encoding', 'a.b.c%3D'],
    ['a signature of length 1 mod 4', 'a.b.AAAAA'],
    ['bits set past the last byte (2 chars)', 'a.b.AB'],
    ['bits set past the last byte (3 chars)', 'a.b.AAB'],
  ])('refuses %s', (_, token) => {
    expect(codeOf(() => checkShape(token))).toBe('invalid_token');
  });
});
