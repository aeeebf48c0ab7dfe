import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AuthError } from '../src/errors';
import { KeyStore, REFETCH_COOLDOWN_MS, type SigningKeySource } from '../src/jwks';

type Key = { kid?: string; alg?: string; getPublicKey(): string };

const pem = (type: 'rsa' | 'ec', curve?: string) => {
  const { publicKey } =
    type === 'rsa'
      ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : generateKeyPairSync('ec', { namedCurve: curve ?? 'P-256' });
  const text = publicKey.export({ format: 'pem', type: 'spki' }).toString();
  return () => text;
};
const RSA = pem('rsa');
const P256 = pem('ec', 'P-256');

/** A scripted JWKS: `answer` is what the next fetches return (or throw). */
class FakeSource implements SigningKeySource {
  fetches = 0;
  answer: Key[] | Error = [];
  release: (() => void) | undefined;
  hold = false;
  async getSigningKeys(): Promise<Key[]> {
    this.fetches++;
    if (this.hold) await new Promise<void>((resolve) => (this.release = resolve));
    if (this.answer instanceof Error) throw this.answer;
    return this.answer;
  }
}

const code = (promise: Promise<unknown>) =>
  promise.then(
    () => 'ok',
    (error: unknown) => (error instanceof AuthError ? error.code : `unexpected ${String(error)}`),
  );

function setup(keys: Key[] | Error) {
  const source = new FakeSource();
  source.answer = keys;
  let now = 1_000_000;
  const store = new KeyStore(source, () => now);
  return { source, store, advance: (ms: number) => (now += ms) };
}

describe('KeyStore', () => {
  it('fetches on first need only, then serves from the cache', async () => {
    const { source, store } = setup([{ kid: 'a', alg: 'RS256', getPublicKey: RSA }]);
    expect(source.fetches).toBe(0);
    await store.keyFor('RS256', 'a');
    await store.keyFor('RS256', 'a');
    expect(source.fetches).toBe(1);
  });

  it('shares one in-flight fetch between concurrent requests', async () => {
    const { source, store } = setup([{ kid: 'a', getPublicKey: RSA }]);
    source.hold = true;
    const all = Promise.all(Array.from({ length: 20 }, () => code(store.keyFor('RS256', 'a'))));
    await new Promise((resolve) => setImmediate(resolve));
    source.release?.();
    expect(await all).toEqual(Array(20).fill('ok'));
    expect(source.fetches).toBe(1);
  });

  it('refetches an unknown kid at most once per cooldown after a successful fetch', async () => {
    const { source, store, advance } = setup([{ kid: 'a', getPublicKey: RSA }]);
    await store.keyFor('RS256', 'a');
    expect(await code(store.keyFor('RS256', 'new'))).toBe('invalid_token');
    expect(source.fetches).toBe(1); // the cooldown started with the first fetch
    advance(REFETCH_COOLDOWN_MS);
    source.answer = [{ kid: 'new', getPublicKey: RSA }];
    expect(await code(store.keyFor('RS256', 'new'))).toBe('ok');
    expect(await code(store.keyFor('RS256', 'other'))).toBe('invalid_token');
    expect(source.fetches).toBe(2);
  });

  it('answers 503 when the key is needed, not cached and the fetch fails; failures start no cooldown', async () => {
    const { source, store } = setup(new Error('connect ECONNREFUSED'));
    const error = await store.keyFor('RS256', 'a').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as AuthError).status).toBe(503);
    expect((error as AuthError).headers).toEqual({ 'Retry-After': expect.stringMatching(/^\d+$/) });
    source.answer = [{ kid: 'a', getPublicKey: RSA }];
    expect(await code(store.keyFor('RS256', 'a'))).toBe('ok');
    expect(source.fetches).toBe(2);
  });

  it('keeps cached keys when a refetch fails', async () => {
    const { source, store, advance } = setup([{ kid: 'a', getPublicKey: RSA }]);
    await store.keyFor('RS256', 'a');
    advance(REFETCH_COOLDOWN_MS);
    source.answer = new Error('500');
    expect(await code(store.keyFor('RS256', 'rotated'))).toBe('temporarily_unavailable');
    expect(await code(store.keyFor('RS256', 'a'))).toBe('ok');
  });

  it('chooses keys by fit: JWK alg, key type and curve; no kid needs exactly one fitting key', async () => {
    const { store } = setup([
      { kid: 'rsa', alg: 'RS256', getPublicKey: RSA },
      { kid: 'ec', getPublicKey: P256 },
      { kid: 'rsa2', alg: 'RS256', getPublicKey: RSA },
    ]);
    expect(await code(store.keyFor('RS384', 'rsa'))).toBe('invalid_token'); // JWK alg differs
    expect(await code(store.keyFor('ES384', 'ec'))).toBe('invalid_token'); // wrong curve
    expect(await code(store.keyFor('RS256', 'ec'))).toBe('invalid_token'); // wrong key type
    expect(await code(store.keyFor('ES256', undefined))).toBe('ok'); // one EC P-256 key
    expect(await code(store.keyFor('RS256', undefined))).toBe('invalid_token'); // two RS256 keys
  });

  it('does not resolve "__proto__" or "constructor" kids from Object.prototype', async () => {
    const { store } = setup([{ kid: 'a', getPublicKey: RSA }]);
    expect(await code(store.keyFor('RS256', '__proto__'))).toBe('invalid_token');
    expect(await code(store.keyFor('RS256', 'constructor'))).toBe('invalid_token');
  });
});
