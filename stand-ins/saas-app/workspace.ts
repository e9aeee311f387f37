import type { RequestHandler } from 'express';
import { rememberPaymentId } from '../../lib/request-log.js';
import { readCookie } from './cookies.js';
import { sendPage } from './page-headers.js';
import { signedInPage, signedOutPage } from './pages.js';
import { SESSION_COOKIE, type Sessions } from './sessions.js';

/** GET /app: the signed-in shopper's page; without a session, back to the start page. */
export function workspaceHandler(sessions: Sessions): RequestHandler {
  return (req, res) => {
    const session = sessions.find(readCookie(req.headers.cookie, SESSION_COOKIE));
    if (session === undefined) {
      res.redirect(302, '/');
      return;
    }
    rememberPaymentId(res, session.paymentId);
    sendPage(res, 200, signedInPage(session.email));
  };
}

/** GET /: says the visitor is not signed in; a signed-in visitor goes on to /app. */
export function homeHandler(sessions: Sessions): RequestHandler {
  return (req, res) => {
    if (sessions.find(readCookie(req.headers.cookie, SESSION_COOKIE)) !== undefined) {
      res.redirect(302, '/app');
      return;
    }
    sendPage(res, 200, signedOutPage());
  };
}
