import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { z } from 'zod';

const IdempotencyRecord = z.object({
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

/** Remembers, per Idempotency-Key, which payment a request body created. Keys are stored hashed. */
export class IdempotencyStore {
  constructor(
    private readonly redis: Redis,
    private readonly ttlSeconds: number,
    private readonly prefix = 'payflow:idempotency:',
  ) {}

  /**
   * Claims the key for `record`. Returns the record that holds the key afterwards: `record`
   * itself if this call claimed it, or the one an earlier request with the same key stored.
   */
  async claim(idempotencyKey: string, record: IdempotencyRecord): Promise<IdempotencyRecord> {
    const key = this.prefix + sha256(idempotencyKey);
    const claimed = await this.redis.set(key, JSON.stringify(record), 'EX', this.ttlSeconds, 'NX');
    if (claimed === 'OK') return record;
    const existing = await this.redis.get(key);
    // The earlier claim expired between SET and GET: claim again.
    if (existing === null) return this.claim(idempotencyKey, record);
    return IdempotencyRecord.parse(JSON.parse(existing));
  }

  async markAccepted(idempotencyKey: string, record: IdempotencyRecord): Promise<void> {
    const key = this.prefix + sha256(idempotencyKey);
    await this.redis.set(key, JSON.stringify({ ...record, accepted: true }), 'KEEPTTL', 'XX');
  }
}
