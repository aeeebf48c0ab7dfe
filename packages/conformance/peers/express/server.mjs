// express + express-oauth2-jwt-bearer as its README shows: `auth()` reads ISSUER_BASE_URL (and
// JWKS_URI, if set) from the environment and discovers the JWKS through OIDC discovery; Express's
// default error handler answers the errors. AUDIENCE is read here only to accept a
// comma-separated list, as the other peers do (the option takes a string or an array).
// A reference for the conformance suite, deliberately not hardened.
import express from 'express';
import { auth, requiredScopes } from 'express-oauth2-jwt-bearer';

const app = express();

app.get('/health', (_req, res) => {
  res.json({ status: 'ok' });
});

app.use(auth({ audience: process.env.AUDIENCE?.split(',').map((aud) => aud.trim()) }));

app.get('/protected', (req, res) => {
  res.json({ message: 'Access granted', user: req.auth.payload });
});

app.get('/protected/admin', requiredScopes('admin'), (req, res) => {
  res.json({ message: 'Access granted', user: req.auth.payload });
});

app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1');
