import { findPlan, newEvent, type PaymentAccepted, type PaymentRequest, type PaymentSnapshot } from '../../contracts/index.js';
import type { EventPublisher } from '../../lib/event-publisher.js';
import type { Logger } from '../../lib/logger.js';
import { ApiError } from '../http/api-error.js';
import { tooManyRequests } from '../http/rate-limit.js';
import { storeUnavailable } from '../http/store-unavailable.js';
import { acceptedSnapshot } from '../status/project-snapshot.js';
import type { ClientSecrets } from './client-secret.js';
import { sha256, type IdempotencyRecord, type IdempotencyStore } from './idempotency-store.js';
import type { Admission, PaymentIntake } from './payment-intake.js';
import { newPaymentId, paymentIdFor } from './payment-id.js';
import type { PaymentStore } from './payment-store.js';
import { nothingWasSent, publishFailure } from './publish-failure.js';
import { notReplicated } from './not-replicated.js';

export interface CreatePaymentDeps {
  payments: PaymentStore;
  /** The one round trip to Redis before the publish. */
  intake: PaymentIntake;
  idempotency: IdempotencyStore;
  secrets: ClientSecrets;
  publisher: EventPublisher;
  logger: Logger;
  /** Told of each payment answered 202, with its first snapshot and what was asked. */
  onAccepted?: (snapshot: PaymentSnapshot, request: PaymentRequest) => Promise<void> | void;
}

export interface CreatePaymentInput {
  request: PaymentRequest;
  idempotencyKey: string | undefined;
  correlationId: string;
  /** Whose rate limit the request counts against (rate-limit-bucket.ts). */
  client: string;
}

/**
 * Accepts a payment: counts it against its client's rate limit, claims its Idempotency-Key and
 * records its status in one round trip to Redis (payment-intake.ts), then publishes
 * PaymentInitiated, and answers only once Kafka holds it. With an Idempotency-Key, a repeated
 * request gets the same paymentId and secret; a repeat after a failed publish publishes again with
 * that paymentId, which is safe because every downstream step is idempotent by paymentId.
 *
 * What Redis may lose (payment-id.ts): the paymentId of a keyed request is derived from the key and
 * the body, so a replay after the record was lost names the same payment, and Billing Gates'
 * `charge:<paymentId>` charges it once. The client secret is derived from the paymentId with a
 * server key (client-secret.ts), so that replay answers the same secret too, and a page still
 * holding it goes on following the payment. A payment whose snapshot is gone is published again,
 * so that its steps report their outcomes once more and the snapshot is rebuilt.
 */
export async function createPayment(deps: CreatePaymentDeps, input: CreatePaymentInput): Promise<PaymentAccepted> {
  checkPlan(input.request);
  try {
    return await acceptPayment(deps, input);
  } catch (err) {
    if (err instanceof ApiError) throw err;
    // Only Redis work before the publish can get here (a failed publish answers its own
    // ApiError, and failures after it are logged, not thrown): nothing was sent to Kafka.
    deps.logger.warn({ err, correlationId: input.correlationId }, 'payment store unavailable; answering 503');
    throw storeUnavailable('Payments cannot be accepted right now; nothing was charged. Please try again in a few seconds.');
  }
}

/** The payment a request names: with a key, the one its key and body derive (payment-id.ts); without, a new one. */
function proposePayment(
  secrets: ClientSecrets,
  idempotencyKey: string | undefined,
  request: PaymentRequest,
): { paymentId: string; claim?: Admission['claim'] } {
  if (idempotencyKey === undefined) return { paymentId: newPaymentId() };
  const bodyHash = sha256(JSON.stringify(request));
  const paymentId = paymentIdFor(idempotencyKey, bodyHash);
  return { paymentId, claim: { idempotencyKey, record: { bodyHash, paymentId, secretKeyId: secrets.currentKeyId, accepted: false } } };
}

async function acceptPayment(deps: CreatePaymentDeps, input: CreatePaymentInput): Promise<PaymentAccepted> {
  const { request, idempotencyKey, correlationId, client } = input;
  const { paymentId, claim } = proposePayment(deps.secrets, idempotencyKey, request);
  const snapshot = acceptedSnapshot(paymentId, new Date());
  const admitted = await deps.intake.admit({ snapshot, claim, client });
  if (admitted.outcome === 'limited') throw tooManyRequests(admitted.retryAfter);
  if (admitted.outcome === 'conflict') {
    throw new ApiError(409, 'IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was already used for a different payment; use a new key for a new payment.');
  }
  if (admitted.outcome === 'unreplicated') {
    deps.logger.warn(
      { paymentId, correlationId, replicas: admitted.replicas, wanted: admitted.wanted },
      'the Redis replicas did not confirm the payment in time; answering 503 REDIS_NOT_REPLICATED',
    );
    // Nothing was published: a payment no key can ask for again is forgotten, as after a refused publish.
    if (claim === undefined)
      await deps.payments.remove(paymentId).catch((err: unknown) => deps.logger.warn({ err, paymentId }, 'could not remove the unpublished payment'));
    throw notReplicated();
  }
  const { record, claimed, stored } = admitted;
  const logger = deps.logger.child({ paymentId, correlationId });
  const answer: PaymentAccepted = { paymentId, clientSecret: deps.secrets.secretFor(paymentId, record?.secretKeyId), status: 'processing' };

  if (stored !== null && claimed)
    logger.warn(
      { status: stored.status },
      'the idempotency record of a stored payment was gone (expired, or lost by Redis); the key named the same payment, with the same client secret',
    );
  // A status past processing means PaymentInitiated was handled: it is in Kafka, whatever the record says.
  if (stored !== null && (record?.accepted === true || stored.status !== 'processing')) {
    logger.info({ status: stored.status }, 'replayed request answered with the accepted payment');
    if (record?.accepted === false) void markAccepted(deps, logger, idempotencyKey, record);
    return answer;
  }
  if (stored === null && record?.accepted === true)
    logger.warn('the snapshot of an accepted payment was gone (Redis lost it); publishing PaymentInitiated again to rebuild it');

  const event = newEvent({ type: 'PaymentInitiated', paymentId, correlationId, data: request });
  try {
    await deps.publisher.publish(event);
  } catch (err) {
    // The payment's snapshot and its idempotency record are kept: the broker may have
    // written the event, and then this payment is charged and must be followed. A retry with the
    // same key publishes again with the same paymentId. Only a payment that never left the
    // process and that no key can ask for again is forgotten.
    const refusal = publishFailure(err, idempotencyKey !== undefined);
    logger.warn({ err, code: refusal.code }, 'PaymentInitiated could not be confirmed; answering 503');
    if (nothingWasSent(err) && record === undefined) await deps.payments.remove(paymentId);
    throw refusal;
  }
  logger.info({ eventId: event.eventId, planId: request.planId }, 'payment accepted');
  // From here the payment is in Kafka: whatever fails now is bookkeeping, and the answer is 202.
  // It does not wait for the bookkeeping: two more Redis round trips, each behind whatever else
  // the event loop has queued, were a third of the accept path's awaits under a burst.
  void afterAccepted(deps, logger, { snapshot, request }, idempotencyKey, record);
  return answer;
}

/**
 * Marks the idempotency record accepted (so a replay answers without publishing again) and tells
 * the live view. Neither may turn an accepted payment into an error, and it never rejects: a
 * record left unmarked (or a replay that arrives before it is marked) only means a replay
 * publishes again, with the same paymentId, which every step downstream ignores.
 */
async function afterAccepted(
  deps: CreatePaymentDeps,
  logger: Logger,
  { snapshot, request }: { snapshot: PaymentSnapshot; request: PaymentRequest },
  idempotencyKey: string | undefined,
  record: IdempotencyRecord | undefined,
): Promise<void> {
  await markAccepted(deps, logger, idempotencyKey, record);
  try {
    await deps.onAccepted?.(snapshot, request);
  } catch (err) {
    logger.warn({ err }, 'payment accepted, but the accept hook failed');
  }
}

async function markAccepted(deps: CreatePaymentDeps, logger: Logger, idempotencyKey: string | undefined, record: IdempotencyRecord | undefined): Promise<void> {
  try {
    if (record !== undefined && idempotencyKey !== undefined) await deps.idempotency.markAccepted(idempotencyKey, record);
  } catch (err) {
    logger.warn({ err }, 'payment accepted, but its idempotency record could not be marked; a replay will publish it again');
  }
}

function checkPlan(request: PaymentRequest): void {
  const plan = findPlan(request.planId);
  if (plan === undefined) {
    throw new ApiError(400, 'UNKNOWN_PLAN', `There is no plan "${request.planId}"; GET /api/plans lists the plans on sale.`);
  }
  if (plan.amount.value !== request.amount.value || plan.amount.currency !== request.amount.currency) {
    throw new ApiError(400, 'AMOUNT_MISMATCH', `The amount does not match the price of plan "${plan.id}" (${plan.amount.value} ${plan.amount.currency}).`);
  }
}
