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

/** One GET over real HTTP; a hung server fails the case instead of stalling the run. */
export async function get(base: string, path: string, options: RequestOptions = {}): Promise<Reply> {
  const headers: Record<string, string> = { ...options.headers };
  const authorization = options.authorization ?? (options.token === undefined ? undefined : `Bearer ${options.token}`);
  if (authorization !== undefined) headers.authorization = authorization;
  const res = await fetch(base + path, { headers, signal: AbortSignal.timeout(options.timeoutMs ?? 15_000) });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}
