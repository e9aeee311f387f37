import type { PaymentEvent, PaymentRequest, PaymentSnapshot, PaymentStatusName, TimelineEntry } from '../../contracts/index.js';

/** A timeline entry with the id that makes a second copy of it (a redelivery) a no-op. */
export interface IdentifiedEntry {
  id: string;
  entry: TimelineEntry;
}

/** The payment was answered 202: its plan, amount and email, never its card token. */
export function acceptedEntry(snapshot: PaymentSnapshot, request: PaymentRequest): IdentifiedEntry {
  return {
    id: 'accepted',
    entry: { kind: 'accepted', at: snapshot.acceptedAt ?? snapshot.updatedAt, planId: request.planId, amount: request.amount, email: request.customer.email },
  };
}

/**
 * What an event says, in the fields support needs. Each field is picked by name: OrderConfirmed
 * carries the sealed SSO token, and PaymentRequiresAction the URL of the shopper's challenge, which
 * must never reach the history, so nothing is copied whole.
 */
export function eventEntry(event: PaymentEvent): IdentifiedEntry | null {
  const at = event.occurredAt;
  const entry = ((): TimelineEntry | null => {
    switch (event.type) {
      case 'PaymentInitiated':
        // Recorded as `accepted` by the BFF that took it; the event itself carries the card token.
        return null;
      case 'PaymentRequiresAction':
        return { kind: event.type, at, chargeId: event.data.chargeId, expiresAt: event.data.expiresAt };
      case 'ChargeActionSettled': {
        const { webhookEventId, chargeId, status, declineCode } = event.data;
        return { kind: event.type, at, webhookEventId, chargeId, status, ...(declineCode === undefined ? {} : { declineCode }) };
      }
      case 'ChargeActionExpired':
        return { kind: event.type, at, expiresAt: event.data.expiresAt };
      case 'PaymentSucceeded':
        return { kind: event.type, at, chargeId: event.data.chargeId };
      case 'PaymentFailed':
        return { kind: event.type, at, reason: event.data.reason };
      case 'OrderConfirmed':
        return { kind: event.type, at, orderId: event.data.orderId };
      case 'OrderFailed':
        return { kind: event.type, at, chargeId: event.data.chargeId, reason: event.data.reason };
      case 'PaymentRefunded':
        return { kind: event.type, at, chargeId: event.data.chargeId, refundId: event.data.refundId, reason: event.data.reason };
      case 'RefundFailed':
        return { kind: event.type, at, chargeId: event.data.chargeId, reason: event.data.reason };
      case 'RefundedByHand':
        return { kind: event.type, at, refundId: event.data.refundId };
      case 'PaymentDelayed': {
        const { step, since, attempts, lastError, notice } = event.data;
        return { kind: event.type, at, step, since, attempts, lastError, notice };
      }
      default: {
        const unhandled: never = event;
        throw new Error(`unhandled event ${JSON.stringify(unhandled)}`);
      }
    }
  })();
  return entry === null ? null : { id: event.eventId, entry };
}

/**
 * A status change the snapshot made, identified by its seq and the status it reached: the same
 * change redelivered is recorded once, and a change made on a snapshot that Redis lost and the
 * next event started again from seq 0 is not taken for the earlier change with the same seq.
 */
export function statusEntry(from: PaymentStatusName, snapshot: PaymentSnapshot): IdentifiedEntry {
  const reason = snapshot.reason === undefined ? {} : { reason: snapshot.reason };
  return { id: `status:${snapshot.seq}:${snapshot.status}`, entry: { kind: 'status', at: snapshot.updatedAt, from, to: snapshot.status, ...reason } };
}

/** Where a record was dead-lettered and why, as the `dlq-*` headers say (lib/dead-letter.ts). */
export interface DeadLetterFacts {
  /** The dead-letter topic, partition and offset of the copy: what makes it unique. */
  dlqTopic: string;
  dlqPartition: number;
  dlqOffset: string;
  failedAt: string;
  sourceTopic: string;
  sourcePartition: number;
  sourceOffset: string;
  consumerGroup: string;
  code: string;
  message: string;
}

export function deadLetterEntry(facts: DeadLetterFacts): IdentifiedEntry {
  return {
    id: `dlq:${facts.dlqTopic}:${facts.dlqPartition}:${facts.dlqOffset}`,
    entry: {
      kind: 'dead-lettered',
      at: facts.failedAt,
      topic: facts.sourceTopic,
      consumerGroup: facts.consumerGroup,
      code: facts.code,
      message: facts.message,
      partition: facts.sourcePartition,
      offset: facts.sourceOffset,
    },
  };
}
