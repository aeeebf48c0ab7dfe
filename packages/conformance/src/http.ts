import { request } from 'node:http';

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
 * One GET over real HTTP, on a connection of its own (`agent: false`, `Connection: close`, RFC
 * 9112 §9.6); a hung server fails the case instead of stalling the run. Not `fetch`: its pool
 * may hand a request a kept-alive socket that the backend closed while this busy process looked
 * away, failing it with an error the backend never caused.
 */
export function get(base: string, path: string, options: RequestOptions = {}): Promise<Reply> {
  const headers: Record<string, string> = { connection: 'close', ...options.headers };
  const authorization =
    options.authorization ?? (options.token === undefined ? undefined : `Bearer ${options.token}`);
  if (authorization !== undefined) headers.authorization = authorization;
  const timeoutMs = options.timeoutMs ?? 15_000;
  return new Promise((resolve, reject) => {
    const fail = (error: NodeJS.ErrnoException) =>
      reject(
        new Error(
          error.name === 'AbortError'
            ? `no answer within ${timeoutMs / 1000} s`
            : `connection failed${error.code ? ` (${error.code})` : ''}`,
        ),
      );
    const req = request(
      new URL(base + path),
      { headers, agent: false, signal: AbortSignal.timeout(timeoutMs) },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
        });
        res.on('error', fail);
        res.on('end', () => {
          const replyHeaders = new Headers();
          for (const [name, value] of Object.entries(res.headers))
            for (const one of [value ?? []].flat()) replyHeaders.append(name, one);
          resolve({ status: res.statusCode ?? 0, headers: replyHeaders, text, json: parsed(text) });
        });
      },
    );
    req.on('error', fail);
    req.end();
  });
}

function parsed(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
