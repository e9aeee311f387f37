import type { RequestHandler } from 'express';
import { z } from 'zod';
import type { Logger } from '../../lib/logger.js';
import { rememberPaymentId } from '../../lib/request-log.js';
import type { SaasLedger } from './ledger-kinds.js';
import { sendPage } from './page-headers.js';
import { tokenMissingPage, tokenRefusedPage, udiUnavailablePage } from './pages.js';
import { SESSION_COOKIE, type Sessions } from './sessions.js';
import type { UdiClient } from './udi-client.js';

/** The browser posts a form (`token=…`); JSON `{ token }` is accepted too. */
export const SsoLandingRequest = z.object({ token: z.string().min(1).max(1024) });
export type SsoLandingRequest = z.infer<typeof SsoLandingRequest>;

interface SsoLandingDeps {
  udi: UdiClient;
  sessions: Sessions;
  ledger: SaasLedger;
  logger: Logger;
  secureCookie: boolean;
}

/** POST /sso: trades the one-time token with Udi for a session, then lands the shopper in /app. */
export function ssoLandingHandler({ udi, sessions, ledger, logger, secureCookie }: SsoLandingDeps): RequestHandler {
  return async (req, res) => {
    const request = SsoLandingRequest.safeParse(req.body);
    if (!request.success) {
      sendPage(res, 400, tokenMissingPage());
      return;
    }

    const exchange = await udi.exchange(request.data.token);
    switch (exchange.outcome) {
      case 'signed-in': {
        const { email, paymentId, orderId } = exchange.identity;
        rememberPaymentId(res, paymentId);
        const sessionId = sessions.create({ email, paymentId, orderId });
        ledger.record('sign-in', paymentId, { email, orderId });
        logger.info({ paymentId, orderId }, 'signed in');
        res.cookie(SESSION_COOKIE, sessionId, { httpOnly: true, sameSite: 'lax', path: '/', secure: secureCookie });
        res.redirect(303, '/app');
        return;
      }
      case 'refused':
        ledger.record('sign-in-refused', null, { code: exchange.code });
        logger.info({ code: exchange.code }, 'sign-in refused');
        sendPage(res, 401, tokenRefusedPage());
        return;
      case 'unavailable':
        logger.warn({ detail: exchange.detail }, 'sign-in failed: Udi unavailable');
        sendPage(res, 502, udiUnavailablePage());
        return;
      default: {
        const unexpected: never = exchange;
        throw new Error(`unexpected exchange outcome ${JSON.stringify(unexpected)}`);
      }
    }
  };
}
