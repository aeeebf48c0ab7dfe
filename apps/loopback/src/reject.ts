import { STATUS_CODES } from 'node:http';
import type { HandlerContext, Reject } from '@loopback/rest';
import { AuthError } from './jwt/index.js';

/**
 * LoopBack's own 4xx (404 for an unknown route, say) keep their status with a fixed sentence:
 * their messages can echo the path. Anything else unexpected is the core's 500 server_error.
 */
function answerFor(error: unknown) {
  if (error instanceof AuthError) return error;
  const status = (error as { statusCode?: unknown } | undefined)?.statusCode;
  if (typeof status !== 'number' || status < 400 || status > 499) return AuthError.serverError();
  const name = STATUS_CODES[status] ?? 'Client Error';
  const code = name.toLowerCase().replace(/\W+/g, '_'); // "Not Found" -> "not_found"
  return { status, headers: {}, body: { error: code, message: `The request was refused: ${name}.` } };
}

/**
 * The sequence's `reject` action: every error leaves as `{"error","message"}` JSON with its
 * headers. LoopBack's default (strong-error-handler) drops `err.headers`, so WWW-Authenticate
 * (RFC 6750 §3) and Retry-After would be lost, and answers `{"error":{"statusCode",...}}`.
 */
export const rejectAsJson: Reject = ({ request, response }: HandlerContext, error: Error) => {
  const { status, headers, body } = answerFor(error);
  // Only a fault of ours is logged (the core logs JWKS failures), without the query string.
  if (status === 500) console.error(`${request.method} ${request.path} failed:`, error);
  if (response.headersSent) return void response.destroy();
  response.writeHead(status, { ...headers, 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
};
