// Only node built-ins here: a starter carries this file bundled in its scripts/dev.mjs.

/** RFC 9110 §5.1: a header name is a token; so is the policy's prefix (RFC 9110 §11.1, auth-scheme). */
export const TOKEN = /^[!#$%&'*+.^_`|~\w-]+$/;

/** The header a token travels in: the gateway policy's `headerName` and `tokenPrefix`. */
export interface TokenHeader {
  name: string;
  /** Empty: the whole header value is the token. */
  prefix: string;
}

/** What the app reads, as JWT_HEADER and JWT_TOKEN_PREFIX say (default `Authorization: Bearer`). */
export function tokenHeader(env: NodeJS.ProcessEnv): TokenHeader {
  return { name: env.JWT_HEADER ?? 'Authorization', prefix: env.JWT_TOKEN_PREFIX ?? 'Bearer' };
}

export function headerValue(header: TokenHeader, token: string): string {
  return header.prefix === '' ? token : `${header.prefix} ${token}`;
}

/** `Name: value`, quoted for a POSIX shell (single quotes when double quotes would expand something). */
export function shellHeader(header: TokenHeader, token: string): string {
  const line = `${header.name}: ${headerValue(header, token)}`;
  return /^[\w .:/-]*$/.test(line) ? `"${line}"` : `'${line.replaceAll("'", `'\\''`)}'`;
}
