import type { Redis } from 'ioredis';
import type { PaymentSnapshot } from '../../contracts/index.js';
import { RedisScript } from '../../lib/redis-script.js';
import { minuteWindow, WINDOW_TTL_SECONDS } from '../http/rate-limit.js';
import { IdempotencyRecord, type IdempotencyStore } from './idempotency-store.js';
import type { ReplicaConfirmation } from './replica-confirmation.js';
import type { PaymentStore } from './payment-store.js';

/**
 * KEYS[1] the client's rate-limit counter of this minute; KEYS[2] the payment's snapshot; KEYS[3]
 * the Idempotency-Key's record, only when the request has a key. ARGV[1] the limit; ARGV[2] the
 * counter's TTL s; ARGV[3] the first snapshot; ARGV[4] its TTL s; ARGV[5] the record to claim the
 * key with; ARGV[6] its TTL s; ARGV[7] the request's body hash.
 *
 * A request over the limit stops before it claims anything. A key's record names the payment its
 * key and body derive (payment-id.ts), so a record with this body hash is for the snapshot in KEYS[2].
 * Replies `{'limited'}`, `{'conflict'}` (the key holds another body), or `{'open', record, stored}`:
 * the record an earlier request claimed the key with ('' when this one claimed it, or has no key),
 * and the snapshot stored before ('' when this call stored the first).
 */
const ADMIT = new RedisScript(`
local hits = redis.call('INCR', KEYS[1])
if hits == 1 then redis.call('EXPIRE', KEYS[1], ARGV[2]) end
if hits > tonumber(ARGV[1]) then return {'limited'} end
local record = ''
if KEYS[3] and not redis.call('SET', KEYS[3], ARGV[5], 'EX', ARGV[6], 'NX') then
  record = redis.call('GET', KEYS[3])
  if cjson.decode(record).bodyHash ~= ARGV[7] then return {'conflict'} end
end
if redis.call('SET', KEYS[2], ARGV[3], 'EX', ARGV[4], 'NX') then return {'open', record, ''} end
return {'open', record, redis.call('GET', KEYS[2])}
`);

export interface Admission {
  /** The payment's first snapshot, stored unless one is. */
  snapshot: PaymentSnapshot;
  /** The record to claim the request's Idempotency-Key with; absent without a key. */
  claim?: { idempotencyKey: string; record: IdempotencyRecord };
  /** Whose limit the request counts against (rate-limit-bucket.ts). */
  client: string;
}

export type Admitted =
  | { outcome: 'limited'; retryAfter: number }
  | { outcome: 'conflict' }
  /** Fewer replicas than asked for confirmed the writes in time: a failover could lose them. */
  | { outcome: 'unreplicated'; replicas: number; wanted: number }
  | {
      outcome: 'open';
      /** The record that holds the key: the one claimed with, or the one an earlier request stored. Absent without a key. */
      record: IdempotencyRecord | undefined;
      /** This request claimed the key: the first with it, or the first since Redis lost its record. */
      claimed: boolean;
      /** The snapshot stored before; null when this request stored the first. */
      stored: PaymentSnapshot | null;
    };

export interface PaymentIntakeOptions {
  /** POST /api/payments allowed per client per minute (PAYMENT_RATE_LIMIT_PER_MINUTE). */
  perMinute: number;
  /** Names this deployment's counters in Redis (its topic prefix). */
  scope: string;
  /**
   * Waits for the script's writes to reach replicas before the payment may be published; absent
   * (one node), nothing waits. It must wait on the connection the script runs on.
   */
  confirmation?: ReplicaConfirmation;
}

/**
 * Everything the accept path asks of Redis before it publishes, in one script and so in one round
 * trip: the client's rate-limit count, the Idempotency-Key's claim (or the record that holds it), and
 * the payment's first snapshot (or the one stored). It was three round trips (an EVALSHA, a SET NX
 * with a GET when the key was taken, a MULTI), and each costs about 55 µs of CPU on each side of the
 * socket on this machine. Atomic as well: a record cannot expire between its SET NX and its GET.
 *
 * With replicas, the script's writes must be on them before the payment is published: a failover
 * to a replica that never received the key's claim would let the payment be published, and
 * answered, without a trace of its key. Waiting before the publish, not beside it, keeps the 503
 * that follows a replica's silence true to its words: nothing was published, nothing charged.
 */
export class PaymentIntake {
  constructor(
    private readonly redis: Redis,
    private readonly payments: PaymentStore,
    private readonly idempotency: IdempotencyStore,
    private readonly options: PaymentIntakeOptions,
  ) {}

  async admit({ snapshot, claim, client }: Admission): Promise<Admitted> {
    const window = minuteWindow(`${this.options.scope}payments:${client}`);
    const snapshotKey = this.payments.snapshotKey(snapshot.paymentId);
    const keys = [window.counterKey, snapshotKey];
    const text = JSON.stringify(snapshot);
    const args: Array<string | number> = [this.options.perMinute, WINDOW_TTL_SECONDS, text, this.payments.ttlSeconds];
    if (claim !== undefined) {
      keys.push(this.idempotency.recordKey(claim.idempotencyKey));
      args.push(JSON.stringify(claim.record), this.idempotency.ttlSeconds, claim.record.bodyHash);
    }
    const [outcome, earlier = '', stored = ''] = (await ADMIT.run(this.redis, keys, args)) as [string, string?, string?];
    if (outcome === 'limited') return { outcome, retryAfter: window.retryAfter };
    if (outcome === 'conflict') return { outcome };
    const confirmation = this.options.confirmation;
    if (confirmation !== undefined) {
      const replicas = await confirmation.confirm();
      if (replicas < confirmation.replicas) return { outcome: 'unreplicated', replicas, wanted: confirmation.replicas };
    }
    // What Redis now holds, remembered for the status consumer: the first snapshot, or the earlier one.
    const held = this.payments.noteStored(snapshot.paymentId, stored === '' ? text : stored)!;
    return {
      outcome: 'open',
      record: earlier === '' ? claim?.record : IdempotencyRecord.parse(JSON.parse(earlier)),
      claimed: claim !== undefined && earlier === '',
      stored: stored === '' ? null : held.snapshot,
    };
  }
}
