import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import { IdempotencyKey, PaymentRequest } from '../../contracts/index.js';
import { rememberCorrelationId, rememberPaymentId } from '../../lib/request-log.js';
import { createPayment, type CreatePaymentDeps } from '../payments/create-payment.js';
import { readPayment } from '../payments/read-payment.js';
import type { PaymentStore } from '../payments/payment-store.js';
import type { RevealSnapshot } from '../status/reveal-snapshot.js';
import { ApiError } from './api-error.js';
import { bearerToken } from './bearer-token.js';
import { rateLimitBucket } from './rate-limit-bucket.js';
import { orStoreUnavailable } from './store-unavailable.js';
import { validate } from './validate.js';

const CorrelationId = z.string().regex(/^[\w.-]{1,100}$/);
const READ_LATER = "The payment's status cannot be read right now; please try again in a few seconds.";

export function paymentsRoutes(deps: CreatePaymentDeps & { payments: PaymentStore; reveal: RevealSnapshot }): Router {
  const router = Router();

  // The rate limit is counted in the accept path's one round trip to Redis (payment-intake.ts), so a
  // request refused here (415, 400) is not counted: it costs neither Redis nor Kafka anything.
  router.post('/api/payments', async (req, res) => {
    if (!req.is('application/json')) {
      throw new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the payment as JSON, with Content-Type: application/json.');
    }
    const request = validate(PaymentRequest, req.body);
    const rawKey = req.get('Idempotency-Key');
    const idempotencyKey = rawKey === undefined ? undefined : validate(IdempotencyKey, rawKey, 'Idempotency-Key header');
    const correlation = CorrelationId.safeParse(req.get('X-Request-Id'));
    const correlationId = correlation.success ? correlation.data : randomUUID();
    rememberCorrelationId(res, correlationId);
    // Echoed, so a client can quote it when asking about its payment.
    res.set('X-Request-Id', correlationId);
    const accepted = await createPayment(deps, { request, idempotencyKey, correlationId, client: rateLimitBucket(req.ip ?? 'unknown') });
    rememberPaymentId(res, accepted.paymentId);
    res.status(202).json(accepted);
  });

  router.get('/api/payments/:paymentId', async (req, res) => {
    const paymentId = z.uuid().safeParse(req.params.paymentId);
    if (paymentId.success) rememberPaymentId(res, paymentId.data);
    const snapshot = paymentId.success
      ? await orStoreUnavailable(readPayment(deps.payments, deps.secrets, paymentId.data, bearerToken(req.get('Authorization'))), READ_LATER, deps.logger, {
          paymentId: paymentId.data,
        })
      : null;
    if (snapshot === null) {
      throw new ApiError(404, 'PAYMENT_NOT_FOUND', 'No payment with this id is visible with these credentials.');
    }
    res.set('Cache-Control', 'no-store').json(deps.reveal(snapshot));
  });

  return router;
}
