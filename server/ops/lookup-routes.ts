import { Router } from 'express';
import { EmailLookupQuery, PaymentLookupPath, type LookupErrorCode } from '../../contracts/index.js';
import type { Logger } from '../../lib/logger.js';
import { rememberPaymentId } from '../../lib/request-log.js';
import { ApiError } from '../http/api-error.js';
import { orStoreUnavailable } from '../http/store-unavailable.js';
import { validate } from '../http/validate.js';
import type { PaymentLookupService } from '../history/payment-lookup.js';
import { operatorOnly as signedInOnly } from './operator-only.js';
import type { SignedInOperators } from './signed-in-operators.js';

const TRY_AGAIN = 'please try again in a few seconds.';

export interface LookupRoutesDeps {
  operators: SignedInOperators;
  lookup: PaymentLookupService;
  logger: Logger;
}

/**
 * The operators' payment lookup, behind the live view's session cookie:
 * GET /ops/api/payments/:paymentId (the payment, its timeline, its email's other payments) and
 * GET /ops/api/payments?email=… (the email's recent payments, each with its timeline).
 */
export function lookupRoutes({ operators, lookup, logger }: LookupRoutesDeps): Router {
  const router = Router();
  const operatorOnly = signedInOnly(operators, logger);

  router.get('/ops/api/payments/:paymentId', operatorOnly, async (req, res) => {
    const { paymentId } = validate(PaymentLookupPath, req.params, 'path');
    rememberPaymentId(res, paymentId);
    const found = await orStoreUnavailable(lookup.byPaymentId(paymentId), `The payment cannot be read right now; ${TRY_AGAIN}`, logger, { paymentId });
    if (found === null)
      throw new ApiError(
        404,
        'PAYMENT_NOT_FOUND' satisfies LookupErrorCode,
        `No payment ${paymentId} is known: the id may be mistyped, or its history has expired (PAYMENT_HISTORY_TTL_SECONDS).`,
      );
    res.json(found);
  });

  router.get('/ops/api/payments', operatorOnly, async (req, res) => {
    const { email } = validate(EmailLookupQuery, req.query, 'query');
    res.json(await orStoreUnavailable(lookup.byEmail(email), `The email's payments cannot be read right now; ${TRY_AGAIN}`, logger));
  });

  return router;
}
