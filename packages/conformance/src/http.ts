export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  /** The body parsed as JSON, or `undefined` when it is not JSON. */
  json: unknown;
}

export interface RequestOptions {
  /** Sent as `Authorization: Bearer <token>`. */
  token?: string;
  /** The whole `Authorization` value, verbatim (wins over `token`). */
  authorization?: string;
  headers?: Record<string, string>;
  timeoutMs?: number;
}

/**
 * One GET over real HTTP, on a connection of its own; a hung server fails the case instead of
 * stalling the run. `Connection: close` (RFC 9112 §9.6): groups run side by side, and a pooled
 * keep-alive socket that the backend closed while this process was busy would fail the next
 * request with an error the backend never caused.
 */
export async function get(base: string, path: string, options: RequestOptions = {}): Promise<Reply> {
  const headers: Record<string, string> = { connection: 'close', ...options.headers };
  const authorization =
    options.authorization ?? (options.token === undefined ? undefined : `Bearer ${options.token}`);
  if (authorization !== undefined) headers.authorization = authorization;
  const timeoutMs = options.timeoutMs ?? 15_000;
  let res: Response;
  let text: string;
  try {
    res = await fetch(base + path, { headers, signal: AbortSignal.timeout(timeoutMs) });
    text = await res.text();
  } catch (error) {
    // fetch says only "fetch failed"; the reason (reset, refused, timeout) is what a reader needs.
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    const timedOut = (error as Error).name === 'TimeoutError';
    throw new Error(
      timedOut ? `no answer within ${timeoutMs / 1000} s` : `fetch failed${cause ? ` (${cause})` : ''}`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}
