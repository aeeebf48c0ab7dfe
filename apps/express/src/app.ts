/** The contract's routes on Express 5; the auth glue is in auth.ts. */
import express, { type Express, type RequestHandler } from 'express';
import { answerErrors, requireAuth, requireScope } from './auth.js';
import type { Verifier } from './jwt/index.js';

const granted: RequestHandler = (req, res) => {
  res.json({ message: 'Access granted', user: req.auth });
};

/** Make the verifier once per process (index.ts): it holds the key set and the token cache. */
export function createApp(verifier: Verifier): Express {
  const app = express();
  app.disable('x-powered-by');
  const auth = requireAuth(verifier);

  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/protected', auth, granted);
  app.get('/protected/admin', auth, requireScope('admin'), granted);

  app.use((_req, res) => {
    res.status(404).json({ error: 'not_found', message: 'There is nothing at this path.' });
  });
  app.use(answerErrors);
  return app;
}
