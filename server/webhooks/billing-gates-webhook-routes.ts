import express, { Router } from 'express';
import type { Counter } from 'prom-client';
import { BILLING_GATES_WEBHOOK_PATH, newEvent, type ChargeSettledWebhook, type PaymentEvent, type WebhookReceived } from '../../contracts/index.js';
import type { Logger } from '../../lib/logger.js';
import { rememberCorrelationId, rememberPaymentId } from '../../lib/request-log.js';
import { WEBHOOK_SIGNATURE_HEADER } from '../../lib/webhook-signature.js';
import { ApiError } from '../http/api-error.js';
import { orStoreUnavailable } from '../http/store-unavailable.js';
import { readChargeSettledWebhook } from './read-webhook.js';
import type { SeenWebhooks } from './seen-webhooks.js';

export interface BillingGatesWebhookDeps {
  /** The secrets a webhook may be signed with (WEBHOOK_SECRETS). */
  secrets: readonly string[];
  seen: SeenWebhooks;
  publish: (event: PaymentEvent) => Promise<void>;
  /** Once published and answered: the settlement goes into the payment's history (which never throws). */
  recorded: (event: PaymentEvent) => Promise<void>;
  deliveries: Counter<'outcome'>;
  logger: Logger;
  now?: () => number;
}

/**
 * POST /api/webhooks/billing-gates: Billing Gates says a charge that required the shopper's action
 * settled. The body is read raw (the signature is over its bytes), before the app's JSON parser,
 * with the same 16 kB limit. In order:
 * - the signature and its time are checked, then the body (read-webhook.ts): 400 with a code, nothing published;
 * - a webhook id already published answers 200 `{ duplicate: true }` and publishes nothing;
 * - ChargeActionSettled is published, keyed by the paymentId the webhook names (one the BFF has
 *   never seen too: the billing worker decides), and 200 is answered only once Kafka acknowledged
 *   it; a failed publish answers 503, and the sender's retry is taken afresh, since
 * - the id is marked seen only after the acknowledgement (seen-webhooks.ts).
 * The webhook is not trusted for money: the billing worker asks Billing Gates before it publishes an outcome.
 */
export function billingGatesWebhookRoutes(deps: BillingGatesWebhookDeps): Router {
  const { seen, logger, deliveries } = deps;
  const now = deps.now ?? Date.now;
  const router = Router();
  router.post(BILLING_GATES_WEBHOOK_PATH, express.raw({ type: () => true, limit: '16kb' }), async (req, res) => {
    const body = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
    let webhook: ChargeSettledWebhook;
    try {
      webhook = readChargeSettledWebhook(deps.secrets, req.get(WEBHOOK_SIGNATURE_HEADER), body, now());
    } catch (err) {
      deliveries.inc({ outcome: 'refused' });
      logger.warn({ code: (err as ApiError).code }, 'Billing Gates webhook refused');
      throw err;
    }
    const { id, data } = webhook;
    const { paymentId } = data;
    rememberPaymentId(res, paymentId);
    rememberCorrelationId(res, id);
    const context = { paymentId, webhookEventId: id };
    if (await orStoreUnavailable(seen.has(id), 'The webhook cannot be checked for a repeat right now; send it again shortly.', logger, context)) {
      deliveries.inc({ outcome: 'duplicate' });
      logger.info(context, 'Billing Gates webhook already taken; nothing published again');
      res.status(200).json({ duplicate: true } satisfies WebhookReceived);
      return;
    }
    const event = newEvent({
      type: 'ChargeActionSettled',
      paymentId,
      correlationId: id,
      data: { webhookEventId: id, chargeId: data.chargeId, status: data.status, ...(data.declineCode === undefined ? {} : { declineCode: data.declineCode }) },
    });
    await deps.publish(event).catch((err: unknown) => {
      deliveries.inc({ outcome: 'not_published' });
      logger.warn({ err, ...context }, 'Billing Gates webhook not published; the sender retries it');
      throw new ApiError(503, 'WEBHOOK_NOT_PUBLISHED', 'The webhook could not be recorded right now (Kafka); send it again later.', undefined, {
        'Retry-After': '5',
      });
    });
    // Published: a mark that fails only lets a later retry be published again, which the billing worker takes.
    await seen.mark(id).catch((err: unknown) => logger.warn({ err, ...context }, 'Billing Gates webhook published, but not marked seen'));
    deliveries.inc({ outcome: 'published' });
    logger.info({ ...context, status: data.status, eventId: event.eventId }, 'Billing Gates webhook published as ChargeActionSettled');
    res.status(200).json({ duplicate: false, eventId: event.eventId } satisfies WebhookReceived);
    // After the answer: the history writes in batches, up to 250 ms later, and the sender need not wait for it.
    await deps.recorded(event);
  });
  return router;
}
