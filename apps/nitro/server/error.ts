/**
 * Nitro's error handler (nitro.config.ts `errorHandler`). Nitro's default answers with its own
 * JSON shape ({error:true,url,statusCode,...}); the contract wants exactly {"error","message"}
 * and the RFC 6750 headers, so every error, ours or h3's (404, 405), is answered here.
 */
import { STATUS_CODES } from 'node:http';
import { type H3Error, type H3Event, send, setResponseHeaders, setResponseStatus } from 'h3';
import type { NitroErrorHandler } from 'nitropack/types';
import { ApiError } from './utils/errors';

function toApiError(error: H3Error): ApiError {
  if (error.cause instanceof ApiError) return error.cause;
  if (error.statusCode === 404) return ApiError.notFound();
  if (error.statusCode === 405) return ApiError.methodNotAllowed();
  if (error.statusCode >= 400 && error.statusCode < 500) return ApiError.badRequest();
  return ApiError.internal();
}

export function handleError(error: H3Error, event: H3Event): Promise<void> {
  const answer = toApiError(error);
  if (answer.code === 'internal_error') {
    // The path only: a query string could hold a token someone sent the wrong way.
    console.error(`[error] ${event.method} ${event.path.split('?')[0]}`, error);
  }
  // The standard reason phrase: h3's own ("Cannot find any route matching /path?query") echoes the URL.
  setResponseStatus(event, answer.status, STATUS_CODES[answer.status]);
  setResponseHeaders(event, {
    'content-type': 'application/json',
    'cache-control': 'no-store',
    ...answer.headers,
  });
  return send(event, JSON.stringify(answer.body));
}

const errorHandler: NitroErrorHandler = handleError;
export default errorHandler;
