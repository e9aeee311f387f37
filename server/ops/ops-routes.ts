import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Router, type RequestHandler } from 'express';
import { OpsSignIn } from '../../contracts/index.js';
import type { Logger } from '../../lib/logger.js';
import { ApiError } from '../http/api-error.js';
import { orStoreUnavailable } from '../http/store-unavailable.js';
import { validate } from '../http/validate.js';
import { OPS_COOKIE, type OpsSessions } from './ops-session.js';
import type { SignedInOperators } from './signed-in-operators.js';

export interface OpsRoutesDeps {
  sessions: OpsSessions;
  /** Ends a session on every replica at sign-out. */
  operators: SignedInOperators;
  /** Told of each session signed out, to close its open sockets. */
  onSignedOut: (session: string) => void;
  /** Guards sign-in against guessing. */
  rateLimit: RequestHandler;
  /** The built pages (web/dist); the live view is ops/index.html in it. */
  webRoot: string;
  logger: Logger;
}

/**
 * The operators' live view: GET /ops is the page (it holds no data; the data comes over the `/ops`
 * socket, for a signed-in operator only). POST /ops/session trades OPS_TOKEN, sent in the body and
 * never in a URL, for an HttpOnly, SameSite=Strict session cookie; DELETE /ops/session signs out:
 * the session ends on every replica, for every copy of the cookie, and its open sockets close.
 */
export function opsRoutes({ sessions, operators, onSignedOut, rateLimit, webRoot, logger }: OpsRoutesDeps): Router {
  const page = join(webRoot, 'ops', 'index.html');
  const router = Router();

  router.get('/ops', (_req, res) => {
    if (!existsSync(page)) throw new ApiError(404, 'NOT_BUILT', 'The live view is not built; run npm run build:web.');
    res.set('Cache-Control', 'no-store').sendFile(page);
  });

  router.post('/ops/session', rateLimit, (req, res) => {
    // JSON only: a cross-site form cannot send it without a CORS preflight.
    if (!req.is('application/json')) throw new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the token as JSON, with Content-Type: application/json.');
    const { token } = validate(OpsSignIn, req.body);
    if (!sessions.tokenMatches(token)) {
      logger.warn({ ip: req.ip }, 'live view: sign-in with a wrong token');
      throw new ApiError(401, 'OPS_TOKEN_INVALID', 'That is not the operator token.');
    }
    logger.info({ ip: req.ip }, 'live view: operator signed in');
    res.cookie(OPS_COOKIE, sessions.issue(), { httpOnly: true, sameSite: 'strict', secure: req.secure, path: '/', maxAge: sessions.ttlMs }).status(204).end();
  });

  router.delete('/ops/session', async (req, res) => {
    const ended = await orStoreUnavailable(
      operators.signOut(req.get('cookie')),
      'Signing out cannot be recorded right now, so the session is still open; please try again in a few seconds.',
      logger,
    );
    if (ended !== undefined) {
      onSignedOut(ended);
      logger.info({ ip: req.ip }, 'live view: operator signed out');
    }
    res.clearCookie(OPS_COOKIE, { httpOnly: true, sameSite: 'strict', secure: req.secure, path: '/' }).status(204).end();
  });

  return router;
}
