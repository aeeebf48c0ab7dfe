/**
 * The Express glue for the verifier core. Express 5 hands a rejected async middleware to the
 * error middleware, so requireAuth and requireScope just throw the core's AuthError and
 * `answerErrors`, the one error middleware, writes its answer.
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { AuthError, type Claims, requireScope as checkScope, type Verifier } from './jwt/index.js';

declare global {
  namespace Express {
    interface Request {
      /** The verified claims, set by requireAuth (frozen: a cached set is shared). */
      auth?: Claims;
    }
  }
}

/** Verifies the Authorization header (RFC 6750 §2.1; never the query or body) into req.auth. */
export const requireAuth =
  (verifier: Verifier): RequestHandler =>
  async (req, _res, next) => {
    req.auth = await verifier.verify(req.get(verifier.header));
    next();
  };

/** RFC 6750 §3.1: a valid token whose `scope` lacks `scope` gets 403 insufficient_scope. */
export const requireScope =
  (scope: string): RequestHandler =>
  (req, _res, next) => {
    if (!req.auth) throw new Error('requireScope runs after requireAuth');
    checkScope(req.auth, scope);
    next();
  };

/**
 * Every error becomes the core's answer: status, WWW-Authenticate or Retry-After, JSON body.
 * Express's own client errors (a 4xx `status` it exposes) stay 4xx; anything else is a bug,
 * logged by name only (a message may quote input) and answered as a bare 500.
 */
export const answerErrors: ErrorRequestHandler = (error: unknown, _req, res, next) => {
  if (res.headersSent) return next(error);
  const answer = AuthError.from(error);
  if (answer !== error) {
    const { status, expose } = (error ?? {}) as { status?: unknown; expose?: unknown };
    if (expose === true && typeof status === 'number' && status >= 400 && status < 500) {
      res.status(status).json({ error: 'bad_request', message: 'The request could not be read.' });
      return;
    }
    console.error(`express-app: unexpected ${error instanceof Error ? error.name : typeof error}`);
  }
  res.status(answer.status).set(answer.headers).json(answer.body);
};
