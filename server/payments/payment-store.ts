import type { Redis } from 'ioredis';
import type { PaymentSnapshot } from '../../contracts/index.js';
import { RedisScript } from '../../lib/redis-script.js';
import { parseStoredSnapshot } from './stored-snapshot.js';

/**
 * Replaces a snapshot only if its seq is still the one the caller read, so two BFF replicas
 * projecting events of the same payment (from different topics) never overwrite each other.
 * KEYS[1] snapshot key; ARGV[1] expected seq (-1: no snapshot yet); ARGV[2] new JSON; ARGV[3] TTL s.
 */
const COMPARE_AND_SET = new RedisScript(`
local current = redis.call('GET', KEYS[1])
local seq = -1
if current then seq = cjson.decode(current).seq end
if seq ~= tonumber(ARGV[1]) then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'EX', tonumber(ARGV[3]))
return 1
`);

/** Where the BFF keeps each payment's status snapshot. Its client secret is derived, never stored (client-secret.ts). */
export class PaymentStore {
  constructor(
    private readonly redis: Redis,
    /** How long a snapshot is kept after its last write (PAYMENT_TTL_SECONDS). */
    readonly ttlSeconds: number,
    private readonly prefix = 'payflow:payment:',
  ) {}

  async remove(paymentId: string): Promise<void> {
    await this.redis.del(this.snapshotKey(paymentId));
  }

  /** Throws a PermanentError (SNAPSHOT_UNREADABLE) when the stored snapshot cannot be read. */
  async snapshot(paymentId: string): Promise<PaymentSnapshot | null> {
    const key = this.snapshotKey(paymentId);
    const raw = await this.redis.get(key);
    return raw === null ? null : parseStoredSnapshot(paymentId, key, raw);
  }

  /** Writes `next` if the stored snapshot still has `expectedSeq` (-1 for none). */
  async compareAndSet(next: PaymentSnapshot, expectedSeq: number): Promise<boolean> {
    const key = this.snapshotKey(next.paymentId);
    const stored = await COMPARE_AND_SET.run(this.redis, [key], [expectedSeq, JSON.stringify(next), this.ttlSeconds]);
    return stored === 1;
  }

  /** Where a payment's snapshot is; the accept path writes the first one (payment-intake.ts). */
  snapshotKey(paymentId: string): string {
    return `${this.prefix}${paymentId}:snapshot`;
  }
}
