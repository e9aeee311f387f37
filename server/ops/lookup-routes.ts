import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { rememberPaymentId } from '../../lib/request-log.js';
import type { Logger } from '../../lib/logger.js';
import { ApiError } from '../http/api-error.js';
import { readFromStore } from '../http/store-unavailable.js';
import { validate } from '../http/validate.js';
import type { PaymentLookupService } from '../history/payment-lookup.js';
import { OPS_COOKIE, readCookie, type OpsSessions } from './ops-session.js';

const PaymentIdParams = z.object({ paymentId: z.uuid('must be a paymentId (a UUID)') });
const EmailQuery = z.object({ email: z.email('must be an email address').max(320) });

export interface LookupRoutesDeps {
  sessions: OpsSessions;
  lookup: PaymentLookupService;
  logger: Logger;
}

/**
 * The operators' payment lookup, behind the live view's session cookie:
 * GET /ops/api/payments/:paymentId (the payment, its timeline, its email's other payments) and
 * GET /ops/api/payments?email=… (the email's recent payments, each with its timeline).
 */
export function lookupRoutes({ sessions, lookup, logger }: LookupRoutesDeps): Router {
  const router = Router();
  const operatorOnly: RequestHandler = (req, res, next) => {
    if (!sessions.isValid(readCookie(req.get('cookie'), OPS_COOKIE))) throw new ApiError(401, 'OPS_UNAUTHORIZED', 'Sign in to the live view (/ops) with the operator token first.');
    res.set('Cache-Control', 'no-store');
    next();
  };

  router.get('/ops/api/payments/:paymentId', operatorOnly, async (req, res) => {
    const { paymentId } = validate(PaymentIdParams, req.params, 'path');
    rememberPaymentId(res, paymentId);
    const found = await readFromStore(lookup.byPaymentId(paymentId), 'The payment', logger, { paymentId });
    if (found === null) throw new ApiError(404, 'PAYMENT_NOT_FOUND', `No payment ${paymentId} is known: the id may be mistyped, or its history has expired (PAYMENT_HISTORY_TTL_SECONDS).`);
    res.json(found);
  });

  router.get('/ops/api/payments', operatorOnly, async (req, res) => {
    const { email } = validate(EmailQuery, req.query, 'query');
    res.json(await readFromStore(lookup.byEmail(email), "The email's payments", logger));
  });

  return router;
}
