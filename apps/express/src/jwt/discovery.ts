/**
 * Where an issuer's keys are, and the one way they are fetched. OpenID Connect Discovery 1.0 §4:
 * `<issuer>/.well-known/openid-configuration` names the `jwks_uri` (Okta, Keycloak, Entra ID and
 * the gateway all serve it); an issuer without discovery (404) keeps its keys at
 * `<issuer>/.well-known/jwks.json`, the gateway's layout.
 */
export const MAX_BYTES = 512 * 1024;

export class HttpStatusError extends Error {
  constructor(readonly status: number) {
    super(`HTTP ${status}`);
  }
}

/** GET as JSON: 200 only, never a redirect (3xx, or a browser's opaque status 0), at most MAX_BYTES. */
export async function getJson(fetcher: typeof fetch, url: string, signal: AbortSignal): Promise<unknown> {
  const response = await fetcher(url, {
    redirect: 'manual',
    signal, // also bounds reading the body
    headers: { accept: 'application/json, application/jwk-set+json' },
  });
  if (response.status !== 200) {
    response.body?.cancel().catch(() => {});
    throw new HttpStatusError(response.status);
  }
  return JSON.parse(await readText(response.body));
}

export async function discoverJwksUri(
  fetcher: typeof fetch,
  issuer: string,
  signal: AbortSignal,
): Promise<string> {
  const base = issuer.replace(/\/$/, '');
  const document = await getJson(fetcher, `${base}/.well-known/openid-configuration`, signal).catch(
    (error: unknown) => {
      if (error instanceof HttpStatusError && error.status === 404) return undefined;
      throw error;
    },
  );
  if (document === undefined) return `${base}/.well-known/jwks.json`;
  const { issuer: claimed, jwks_uri: uri } = (document ?? {}) as { issuer?: unknown; jwks_uri?: unknown };
  // §4.3: the document must name exactly the issuer it was fetched for.
  if (claimed !== issuer) throw new Error('the discovery document names another issuer');
  const url = typeof uri === 'string' && URL.canParse(uri) ? new URL(uri) : undefined;
  if (!url || !(url.protocol === 'https:' || (url.protocol === 'http:' && onLoopback(issuer))))
    throw new Error('the discovery document has no https jwks_uri');
  if (url.username || url.password) throw new Error('the jwks_uri carries credentials');
  return url.href;
}

/** http is for local work only: an issuer on this machine. */
function onLoopback(issuer: string): boolean {
  const { protocol, hostname } = new URL(issuer);
  return protocol === 'http:' && /^(127\.\d+\.\d+\.\d+|\[::1\]|localhost)$/.test(hostname);
}

/** The body as UTF-8 text, abandoned (the stream cancelled) as soon as it passes MAX_BYTES. */
async function readText(body: ReadableStream<Uint8Array> | null): Promise<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let text = '';
  let size = 0;
  for await (const chunk of body ?? []) {
    size += chunk.byteLength;
    if (size > MAX_BYTES) throw new Error(`more than ${MAX_BYTES} bytes`);
    text += decoder.decode(chunk, { stream: true });
  }
  return text + decoder.decode();
}
