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
 * Where the BFF keeps each payment's status snapshot and the hash of its client secret. It
 * remembers the snapshots it last wrote or read (RecentSnapshots), for the status consumer to
 * project from without reading first.
 */
export class PaymentStore {
  private readonly recent = new RecentSnapshots();

  constructor(
    private readonly redis: Redis,
    private readonly ttlSeconds: number,
    private readonly prefix = 'payflow:payment:',
  ) {}

  /**
   * Stores a payment's secret hash and, unless one is stored already, its first snapshot; returns
   * the snapshot that was stored before (null: this call stored the first). The snapshot is written
   * NX: a retried request for the same payment (same Idempotency-Key) must not reset a status that
   * has moved on. The secret hash is always written: it is the hash of the secret the caller is
   * about to be given, which the idempotency record holds, and after Redis lost that record the
   * replay gave the payment a new secret, whose hash must replace the old one.
   */
  async create(snapshot: PaymentSnapshot, secretHash: string): Promise<PaymentSnapshot | null> {
    const snapshotKey = this.snapshotKey(snapshot.paymentId);
    const text = JSON.stringify(snapshot);
    const replies = (await this.redis
      .multi()
      .set(this.secretKey(snapshot.paymentId), secretHash, 'EX', this.ttlSeconds)
      .set(snapshotKey, text, 'EX', this.ttlSeconds, 'NX')
      .get(snapshotKey)
      .exec()) ?? [];
    for (const [err] of replies) if (err) throw err;
    const [, [, created] = [], [, stored] = []] = replies;
    if (created === 'OK') {
      this.recent.remember({ snapshot, text });
      return null;
    }
    return this.noteStored(snapshot.paymentId, typeof stored === 'string' ? stored : null)?.snapshot ?? null;
  }

  async remove(paymentId: string): Promise<void> {
    this.recent.forget(paymentId);
    await this.redis.del(this.secretKey(paymentId), this.snapshotKey(paymentId));
  }

  async secretHash(paymentId: string): Promise<string | null> {
    return this.redis.get(this.secretKey(paymentId));
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

  /** Parses what Redis answered for the payment's snapshot (null: none) and remembers it; throws SNAPSHOT_UNREADABLE. */
  private noteStored(paymentId: string, text: string | null): StoredSnapshot | null {
    this.recent.forget(paymentId);
    if (text === null) return null;
    const stored = { snapshot: parseStoredSnapshot(paymentId, this.snapshotKey(paymentId), text), text };
    this.recent.remember(stored);
    return stored;
  }

  private secretKey(paymentId: string): string {
    return `${this.prefix}${paymentId}:secret`;
  }

  private snapshotKey(paymentId: string): string {
    return `${this.prefix}${paymentId}:snapshot`;
  }
}
