/**
 * The h3 glue: per-route hooks that run the verifier and put the claims on event.context.
 * Used as `defineEventHandler({ onRequest: [requireToken], handler })`, so the routes that need
 * a token say so themselves and no path pattern can drift from the route table.
 */
import { createError, getRequestHeader, type H3Event } from 'h3';
import { type Claims, hasScope, verify } from './auth';
import { ApiError } from './errors';

declare module 'h3' {
  interface H3EventContext {
    /** The verified JWT claims, set by requireToken. */
    auth?: Claims;
  }
}

/**
 * An ApiError as an h3 error. The ApiError rides along as `cause`: server/error.ts answers
 * with its status, headers and body, in place of Nitro's default error shape.
 */
export function toH3Error(error: ApiError) {
  return createError({ statusCode: error.status, message: error.message, data: error.body, cause: error });
}

export async function requireToken(event: H3Event): Promise<void> {
  try {
    // A cached token comes back as the claims themselves: no await, no extra microtask.
    const claims = verify(getRequestHeader(event, 'authorization'));
    event.context.auth = claims instanceof Promise ? await claims : claims;
  } catch (error) {
    throw error instanceof ApiError ? toH3Error(error) : error;
  }
}

export function requireScope(scope: string) {
  return (event: H3Event): void => {
    if (!event.context.auth || !hasScope(event.context.auth, scope))
      throw toH3Error(ApiError.insufficientScope(scope));
  };
}
