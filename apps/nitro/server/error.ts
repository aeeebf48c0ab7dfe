/**
 * Nitro's error handler (nitro.config.ts `errorHandler`). Nitro's default answers with its own
 * JSON shape ({error:true,url,statusCode,...}); the contract wants exactly {"error","message"},
 * so every error, ours (an AuthError, whose headers utils/guard.ts already set) or h3's (404,
 * 405), is answered here.
 */
import { STATUS_CODES } from 'node:http';
import { type H3Error, type H3Event, send, setResponseHeaders, setResponseStatus } from 'h3';
import type { NitroErrorHandler } from 'nitropack/types';
import { AuthError } from './jwt/index.js';

interface Answer {
  status: number;
  headers: Readonly<Record<string, string>>;
  body: { error: string; message: string };
}

const answer = (status: number, error: string, message: string, headers = {}): Answer => ({
  status,
  headers,
  body: { error, message },
});

function answerFor(error: H3Error): Answer {
  const { cause } = error;
  if (cause instanceof AuthError) return { status: cause.status, headers: {}, body: cause.body };
  if (error.statusCode === 404) return answer(404, 'not_found', 'No route matches this path.');
  // RFC 9110 §15.5.6: a 405 lists the methods the route answers; every route here is GET.
  if (error.statusCode === 405)
    return answer(405, 'method_not_allowed', 'This route only answers GET.', { allow: 'GET' });
  if (error.statusCode >= 400 && error.statusCode < 500)
    return answer(400, 'bad_request', 'The request could not be understood.');
  return AuthError.serverError();
}

export function handleError(error: H3Error, event: H3Event): Promise<void> {
  const { status, headers, body } = answerFor(error);
  if (status === 500 && !(error.cause instanceof AuthError)) {
    // The path only: a query string could hold a token someone sent the wrong way.
    console.error(`[error] ${event.method} ${event.path.split('?')[0]}`, error.cause ?? error);
  }
  // The standard reason phrase: h3's own ("Cannot find any route matching /path?query") echoes the URL.
  setResponseStatus(event, status, STATUS_CODES[status]);
  setResponseHeaders(event, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers });
  return send(event, JSON.stringify(body));
}

const errorHandler: NitroErrorHandler = handleError;
export default errorHandler;
