import { STATUS_CODES } from 'node:http';
import { BindingScope, injectable, type Provider } from '@loopback/core';
import type { HandlerContext, Reject } from '@loopback/rest';
import { AuthError } from '../errors';

type HttpishError = Error & { statusCode?: unknown; status?: unknown };

/** A 4xx status from a LoopBack/HttpErrors error, else 500. */
function statusOf(error: HttpishError): number {
  const status = error.statusCode ?? error.status;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : 500;
}

/** "Not Found" -> "not_found": the body's machine-readable code for framework errors. */
const codeFor = (status: number) =>
  (STATUS_CODES[status] ?? 'error').toLowerCase().replace(/[^a-z0-9]+/g, '_');

function messageFor(status: number): string {
  if (status === 404) return 'There is no such route.';
  if (status >= 500) return 'The server could not complete the request.';
  return `The request was refused (${STATUS_CODES[status] ?? status}).`;
}

/**
 * The sequence's `reject` action: every error leaves the app as `{"error","message"}` JSON.
 * It replaces LoopBack's default (strong-error-handler), which would answer
 * `{"error":{"statusCode",...}}` and drop AuthError's WWW-Authenticate and Retry-After headers.
 * Framework errors get fixed messages: theirs can echo the request path (and a token in it).
 */
@injectable({ scope: BindingScope.SINGLETON })
export class JsonRejectProvider implements Provider<Reject> {
  value(): Reject {
    return ({ request, response }: HandlerContext, error: Error) => {
      if (response.headersSent) {
        response.end();
        return;
      }
      let status: number;
      let body: { error: string; message: string };
      if (error instanceof AuthError) {
        status = error.status;
        body = error.body();
        for (const [name, value] of Object.entries(error.headers)) response.setHeader(name, value);
      } else {
        status = statusOf(error);
        body =
          status >= 500
            ? { error: 'server_error', message: messageFor(status) }
            : { error: codeFor(status), message: messageFor(status) };
        // Only a fault of ours is logged, with the path but not the query (a token could be there).
        if (status >= 500) console.error(`${request.method} ${request.path} failed:`, error);
      }
      response.statusCode = status;
      response.setHeader('Content-Type', 'application/json');
      response.end(JSON.stringify(body));
    };
  }
}
