import { createHash } from 'node:crypto';

/**
 * Where the payment history lives in Redis. An email appears in a key only hashed (lowercased
 * first, so Ada@… and ada@… are one shopper), so a key listing shows no addresses.
 */
export class HistoryKeys {
  private readonly base: string;

  /** `prefix` keeps deployments sharing a Redis apart (the KAFKA_TOPIC_PREFIX). */
  constructor(prefix = '') {
    this.base = `payflow:${prefix}history:`;
  }

  /** The payment's entries (a list, oldest first). The braces keep both keys of a payment in one cluster slot. */
  entries(paymentId: string): string {
    return `${this.base}{${paymentId}}:entries`;
  }

  /** The ids of the entries recorded for the payment (a set), so a redelivered one is recorded once. */
  seen(paymentId: string): string {
    return `${this.base}{${paymentId}}:seen`;
  }

  /** The email's recent paymentIds (a sorted set scored by acceptance time). */
  email(email: string): string {
    return `${this.base}email:${createHash('sha256').update(email.trim().toLowerCase()).digest('hex')}`;
  }

  /** Accepted payments not yet in a terminal status (a sorted set scored by acceptance time, ms). */
  get unfinished(): string {
    return `${this.base}unfinished`;
  }
}
