import { randomUUID } from 'node:crypto';
import {
  findPlan,
  newEvent,
  type PaymentAccepted,
  type PaymentRequest,
  type PaymentSnapshot,
} from '../../contracts/index.js';
import type { EventPublisher } from '../../lib/event-publisher.js';
import type { Logger } from '../../lib/logger.js';
import { ApiError } from '../http/api-error.js';
import { acceptedSnapshot } from '../status/project-snapshot.js';
import { hashClientSecret, newClientSecret } from './client-secret.js';
import { sha256, type IdempotencyRecord, type IdempotencyStore } from './idempotency-store.js';
import type { PaymentStore } from './payment-store.js';
import { seal, unseal } from './seal.js';

export interface CreatePaymentDeps {
  payments: PaymentStore;
  idempotency: IdempotencyStore;
  publisher: EventPublisher;
  logger: Logger;
  /** Told of each payment answered 202, with its first snapshot. */
  onAccepted?: (snapshot: PaymentSnapshot) => Promise<void> | void;
}

export interface CreatePaymentInput {
  request: PaymentRequest;
  idempotencyKey: string | undefined;
  correlationId: string;
}

/**
 * Accepts a payment: records its status and secret hash, then publishes PaymentInitiated, and
 * answers only once Kafka holds it. With an Idempotency-Key, a repeated request gets the same
 * paymentId and secret; a repeat after a failed publish publishes again with that paymentId,
 * which is safe because every downstream step is idempotent by paymentId.
 */
export async function createPayment(deps: CreatePaymentDeps, input: CreatePaymentInput): Promise<PaymentAccepted> {
  checkPlan(input.request);
  try {
    return await acceptPayment(deps, input);
  } catch (err) {
    if (err instanceof ApiError) throw err;
    // Redis is the only other dependency on this path: without it, no secret can be kept.
    deps.logger.warn({ err, correlationId: input.correlationId }, 'payment store unavailable; answering 503');
    throw new ApiError(503, 'STORE_UNAVAILABLE', 'Payments cannot be accepted right now; nothing was charged. Please try again in a few seconds.', undefined, { 'Retry-After': '5' });
  }
}

async function acceptPayment(deps: CreatePaymentDeps, input: CreatePaymentInput): Promise<PaymentAccepted> {
  const { request, idempotencyKey, correlationId } = input;

  let payment: { paymentId: string; clientSecret: string; accepted: boolean } = { paymentId: randomUUID(), clientSecret: newClientSecret(), accepted: false };
  let record: IdempotencyRecord | undefined;
  if (idempotencyKey !== undefined) {
    const bodyHash = sha256(JSON.stringify(request));
    const proposed = { bodyHash, paymentId: payment.paymentId, sealedSecret: seal(payment.clientSecret, idempotencyKey), accepted: false };
    record = await deps.idempotency.claim(idempotencyKey, proposed);
    if (record.bodyHash !== bodyHash) {
      throw new ApiError(409, 'IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was already used for a different payment; use a new key for a new payment.');
    }
    payment = { paymentId: record.paymentId, clientSecret: unseal(record.sealedSecret, idempotencyKey), accepted: record.accepted };
  }

  const logger = deps.logger.child({ paymentId: payment.paymentId, correlationId });
  const answer: PaymentAccepted = { paymentId: payment.paymentId, clientSecret: payment.clientSecret, status: 'processing' };
  if (payment.accepted) {
    logger.info('replayed request answered with the accepted payment');
    return answer;
  }

  const snapshot = acceptedSnapshot(payment.paymentId, new Date());
  await deps.payments.create(snapshot, hashClientSecret(payment.clientSecret));
  const event = newEvent({ type: 'PaymentInitiated', paymentId: payment.paymentId, correlationId, data: request });
  try {
    await deps.publisher.publish(event);
  } catch (err) {
    logger.warn({ err }, 'PaymentInitiated could not be published; answering 503');
    // Without a key nobody can ask for this payment again, so forget it.
    if (record === undefined) await deps.payments.remove(payment.paymentId);
    throw new ApiError(503, 'KAFKA_UNAVAILABLE', 'Payments cannot be accepted right now; nothing was charged. Please try again in a few seconds.', undefined, { 'Retry-After': '5' });
  }
  if (record !== undefined && idempotencyKey !== undefined) await deps.idempotency.markAccepted(idempotencyKey, record);
  logger.info({ eventId: event.eventId, planId: request.planId }, 'payment accepted');
  await deps.onAccepted?.(snapshot);
  return answer;
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
