import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { PaymentSnapshot } from '../../contracts/index.js';
import { RedisScript } from '../../lib/redis-script.js';
import { RecentSnapshots } from './recent-snapshots.js';
import { parseStoredSnapshot, type StoredSnapshot } from './stored-snapshot.js';

/**
 * Replaces a snapshot only if Redis still holds exactly the text the caller projected from, so two
 * BFF replicas projecting events of the same payment (from different topics) never overwrite each
 * other, and a caller that projected from a remembered copy (RecentSnapshots) gone out of date
 * writes nothing. The whole text, not only its seq: a snapshot Redis lost is started again from
 * seq 0, so one seq can name two different snapshots. On a mismatch it answers what is stored, so
 * the caller's retry needs no read of its own.
 * KEYS[1] snapshot key; ARGV[1] 1 if a snapshot is expected, 0 if none; ARGV[2] its text; ARGV[3]
 * new text; ARGV[4] TTL s. Answers {1} when written, else {0, the stored text} ({0} when none).
 */
const REPLACE = new RedisScript(`
local current = redis.call('GET', KEYS[1])
local expected = false
if ARGV[1] == '1' then expected = ARGV[2] end
if current ~= expected then return {0, current} end
redis.call('SET', KEYS[1], ARGV[3], 'EX', tonumber(ARGV[4]))
return {1}
`);

/** REPLACE's answer: written (1), or not (0) with the stored text, absent or nil when there is none. */
const ReplaceReply = z.tuple([z.union([z.literal(0), z.literal(1)])], z.string().nullable());

/** What a replace came to: written, or not, with what Redis holds instead (null: nothing). */
export type Replaced = { written: true } | { written: false; current: StoredSnapshot | null };

/**
 * Where the BFF keeps each payment's status snapshot; its client secret is derived, never stored
 * (client-secret.ts). It remembers the snapshots it last wrote or read (RecentSnapshots), for the
 * status consumer to project from without reading first.
 */
export class PaymentStore {
  private readonly recent = new RecentSnapshots();

  constructor(
    private readonly redis: Redis,
    /** How long a snapshot is kept after its last write (PAYMENT_TTL_SECONDS). */
    readonly ttlSeconds: number,
    private readonly prefix = 'payflow:payment:',
  ) {}

  async remove(paymentId: string): Promise<void> {
    this.recent.forget(paymentId);
    await this.redis.del(this.snapshotKey(paymentId));
  }

  /** Throws a PermanentError (SNAPSHOT_UNREADABLE) when the stored snapshot cannot be read. */
  async snapshot(paymentId: string): Promise<PaymentSnapshot | null> {
    return (await this.stored(paymentId))?.snapshot ?? null;
  }

  /** The stored snapshot with its text, read from Redis; throws as `snapshot` does. */
  async stored(paymentId: string): Promise<StoredSnapshot | null> {
    return this.noteStored(paymentId, await this.redis.get(this.snapshotKey(paymentId)));
  }

  /**
   * The snapshot this replica last wrote or read for the payment, if recent; undefined when it
   * does not know. A hint to project from, not the truth: `replace` finds out.
   */
  recentlyStored(paymentId: string): StoredSnapshot | undefined {
    return this.recent.get(paymentId);
  }

  /**
   * Writes `next` if Redis still holds `expected` (null: no snapshot) exactly; if not, answers
   * what it holds instead. Throws as `snapshot` does when that cannot be read.
   */
  async replace(expected: StoredSnapshot | null, next: PaymentSnapshot): Promise<Replaced> {
    const text = JSON.stringify(next);
    const [written, current] = ReplaceReply.parse(
      await REPLACE.run(this.redis, [this.snapshotKey(next.paymentId)], [expected === null ? 0 : 1, expected?.text ?? '', text, this.ttlSeconds]),
    );
    if (written === 1) {
      this.recent.remember({ snapshot: next, text });
      return { written: true };
    }
    return { written: false, current: this.noteStored(next.paymentId, current ?? null) };
  }

  /**
   * Parses what Redis holds (or answered) for the payment's snapshot, null for none, and remembers
   * it, so the status consumer projects from it without a read; the accept path tells it what it
   * stored or found (payment-intake.ts). Throws SNAPSHOT_UNREADABLE.
   */
  noteStored(paymentId: string, text: string | null): StoredSnapshot | null {
    this.recent.forget(paymentId);
    if (text === null) return null;
    const stored = { snapshot: parseStoredSnapshot(paymentId, this.snapshotKey(paymentId), text), text };
    this.recent.remember(stored);
    return stored;
  }

  /** Where a payment's snapshot is; the accept path writes the first one (payment-intake.ts). */
  snapshotKey(paymentId: string): string {
    return `${this.prefix}${paymentId}:snapshot`;
  }
}
