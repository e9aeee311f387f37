import type { RequestHandler } from 'express';
import { z } from 'zod';
import type { Logger } from '../../lib/logger.js';
import { sendError } from '../common/errors.js';
import { rememberPaymentId } from '../../lib/request-log.js';
import { parseBody } from '../common/validate.js';
import type { UdiLedger } from './ledger-kinds.js';
import type { SsoTokens, TokenRefusal } from './sso-tokens.js';

export const ExchangeRequest = z.object({ token: z.string().min(1).max(512) });
export type ExchangeRequest = z.infer<typeof ExchangeRequest>;

const REFUSALS: Record<TokenRefusal, string> = {
  TOKEN_INVALID: 'This sign-in token is not valid.',
  TOKEN_ALREADY_USED: 'This sign-in token has already been used.',
  TOKEN_EXPIRED: 'This sign-in token has expired.',
};

interface ExchangeDeps {
  tokens: SsoTokens;
  ledger: UdiLedger;
  logger: Logger;
}

/** POST /sso/exchange: the SaaS app trades a one-time token for who it signs in. */
export function exchangeTokenHandler({ tokens, ledger, logger }: ExchangeDeps): RequestHandler {
  return (req, res) => {
    const request = parseBody(ExchangeRequest, req, res);
    if (request === undefined) return;

    const redemption = tokens.redeem(request.token);
    if (!redemption.ok) {
      const paymentId = redemption.subject?.paymentId ?? null;
      if (paymentId !== null) rememberPaymentId(res, paymentId);
      ledger.record('sso-token-refused', paymentId, { code: redemption.code, orderId: redemption.subject?.orderId });
      logger.info({ paymentId, code: redemption.code }, 'sso token refused');
      sendError(res, 401, redemption.code, REFUSALS[redemption.code]);
      return;
    }

    const { email, orderId, paymentId } = redemption.subject;
    rememberPaymentId(res, paymentId);
    ledger.record('sso-token-exchanged', paymentId, { orderId });
    logger.info({ paymentId, orderId }, 'sso token exchanged');
    res.set('Cache-Control', 'no-store');
    res.status(200).json({ email, orderId, paymentId });
  };
}
