import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { z } from 'zod';

export const IdempotencyRecord = z.object({
  bodyHash: z.string(),
  paymentId: z.uuid(),
  /**
   * The id of the CLIENT_SECRET_KEYS key that derived the client secret it answered (client-secret.ts),
   * so that a replay answers the same secret after a rotation too. Records written before secrets
   * were derived have none: their replays get the secret of the current key.
   */
  secretKeyId: z.string().optional(),
  /** True once PaymentInitiated is durably in Kafka; a replay then answers without publishing again. */
  accepted: z.boolean(),
});
export type IdempotencyRecord = z.infer<typeof IdempotencyRecord>;

export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/**
 * Remembers, per Idempotency-Key, which payment a request body created. Keys are stored hashed.
 * The key is claimed by the accept path's one script (payment-intake.ts).
 */
export class IdempotencyStore {
  constructor(
    private readonly redis: Redis,
    /** How long a record is kept. */
    readonly ttlSeconds: number,
    private readonly prefix = 'payflow:idempotency:',
  ) {}

  recordKey(idempotencyKey: string): string {
    return this.prefix + sha256(idempotencyKey);
  }

  async markAccepted(idempotencyKey: string, record: IdempotencyRecord): Promise<void> {
    await this.redis.set(this.recordKey(idempotencyKey), JSON.stringify({ ...record, accepted: true }), 'KEEPTTL', 'XX');
  }
}
