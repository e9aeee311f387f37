import { createHash, randomUUID } from 'node:crypto';

/**
 * The id of a payment asked for with an Idempotency-Key: derived from the key and the request
 * body, the two things the idempotency record compares, so that a replay names the same payment
 * even after Redis lost the record (an evicting policy, a restart without AOF, a failover to a
 * replica that had not got it). The billing worker charges with `charge:<paymentId>`, and Billing
 * Gates never charges one key twice: a lost record can no longer make a second charge.
 *
 * The body is part of it (and with it the shopper's email), so another shopper who chose the same
 * key, or the same key sent with another body once the record that answers 409 is gone, makes a
 * payment of its own and never reaches into this one.
 *
 * Unkeyed, with a domain prefix: a paymentId is no secret (logs, Kafka keys and ledgers carry it;
 * the client secret guards reads), while a server key would have to be the same on every replica
 * and could never be rotated, since a rotation would itself mint second payments. A UUID of
 * version 8 (RFC 9562, "custom"), from the first 128 bits of SHA-256 with the version and variant
 * bits set.
 */
export function paymentIdFor(idempotencyKey: string, bodyHash: string): string {
  // The key is printable ASCII without NUL (contracts/payment-api.ts), so the parts cannot run into each other.
  const digest = createHash('sha256').update(`payflow/payment-id/v1\0${idempotencyKey}\0${bodyHash}`).digest();
  digest[6] = (digest[6]! & 0x0f) | 0x80;
  digest[8] = (digest[8]! & 0x3f) | 0x80;
  const hex = digest.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The id of a payment asked for without an Idempotency-Key: random, as nothing tells its retry from a new payment. */
export function newPaymentId(): string {
  return randomUUID();
}
