import type { Redis } from 'ioredis';
import { WriteBatcher } from '../../lib/write-batcher.js';
import { furtherMove, perStatus, type OpsBoard, type OpsError, type OpsMove, type OpsSeries, type OpsSeriesBucket } from '../../contracts/index.js';
import { parseSeriesBucket, seriesExpiresAt, seriesIncrements, seriesKey, windowStarts } from './ops-series.js';

/** Moves kept to rebuild the board from; the board shows the furthest move of each payment among them. */
const MOVES_KEPT = 200;
const PAYMENTS_SHOWN = 30;
const ERRORS_KEPT = 20;
/**
 * How long a move or error waits to be written with the others: each status change wrote its own
 * MULTI (two HINCRBY, LPUSH, LTRIM), four per payment and nearly half of the BFF's Redis commands.
 * A quarter of a second is well inside what an operator notices on a board that other replicas'
 * moves reach through the stream, and makes a MULTI of ~75 moves at 100 payments/s instead of ~15.
 */
export const WRITE_DELAY_MS = 250;

interface Batch {
  moves: OpsMove[];
  errors: OpsError[];
}

/**
 * The live view's board in Redis, shared by every BFF replica: payments per status (a hash, moved
 * by one on every accepted payment and every status change), the latest moves and errors (capped
 * lists), and the charts' last 15 minutes (a hash per 10-second bucket, ops-series.ts). Moves and
 * errors are written together, at most WRITE_DELAY_MS after the first of them.
 */
export class OpsBoardStore {
  private readonly countsKey: string;
  private readonly movesKey: string;
  private readonly errorsKey: string;
  private readonly base: string;
  private readonly batcher = new WriteBatcher<Batch>(
    () => ({ moves: [], errors: [] }),
    (batch) => this.write(batch),
    WRITE_DELAY_MS,
  );

  /** `prefix` keeps deployments sharing a Redis apart (the KAFKA_TOPIC_PREFIX). */
  constructor(
    private readonly redis: Redis,
    prefix = '',
  ) {
    const base = `payflow:${prefix}ops:`;
    this.base = base;
    this.countsKey = `${base}counts`;
    this.movesKey = `${base}moves`;
    this.errorsKey = `${base}errors`;
  }

  /** Adds the move to the next write; resolves once it is written, rejects if that write fails. */
  recordMove(move: OpsMove): Promise<void> {
    return this.batcher.add((batch) => batch.moves.push(move));
  }

  /** Adds the error to the next write; resolves once it is written, rejects if that write fails. */
  recordError(error: OpsError): Promise<void> {
    return this.batcher.add((batch) => batch.errors.push(error));
  }

  /** Writes what waits now, at once. */
  flush(): Promise<void> {
    return this.batcher.flush();
  }

  /**
   * One MULTI for the whole batch: the counts by their net change, the moves and errors each in one
   * LPUSH (the last one ends up first, as one by one), and per 10-second bucket the batch touches
   * one HINCRBY per outcome and histogram bucket it adds to, and one EXPIREAT.
   */
  private async write({ moves, errors }: Batch): Promise<void> {
    const counts = new Map<string, number>();
    const add = (status: string, by: number) => counts.set(status, (counts.get(status) ?? 0) + by);
    for (const move of moves) {
      add(move.to, 1);
      if (move.from !== null) add(move.from, -1);
    }
    const multi = this.redis.multi();
    for (const [status, by] of counts) if (by !== 0) multi.hincrby(this.countsKey, status, by);
    if (moves.length > 0) multi.lpush(this.movesKey, ...moves.map((move) => JSON.stringify(move))).ltrim(this.movesKey, 0, MOVES_KEPT - 1);
    for (const [start, fields] of seriesIncrements(moves)) {
      const key = seriesKey(this.base, start);
      for (const [field, by] of fields) multi.hincrby(key, field, by);
      multi.expireat(key, seriesExpiresAt(start));
    }
    if (errors.length > 0) multi.lpush(this.errorsKey, ...errors.map((error) => JSON.stringify(error))).ltrim(this.errorsKey, 0, ERRORS_KEPT - 1);
    await multi.exec();
  }

  async read(): Promise<OpsBoard> {
    const [counts, moves, errors, series] = await Promise.all([
      this.redis.hgetall(this.countsKey),
      this.redis.lrange(this.movesKey, 0, -1),
      this.redis.lrange(this.errorsKey, 0, -1),
      this.readSeries(),
    ]);
    const latest = new Map<string, OpsMove>();
    for (const raw of moves) {
      const move = JSON.parse(raw) as OpsMove;
      const known = latest.get(move.paymentId);
      latest.set(move.paymentId, known === undefined ? move : furtherMove(known, move));
    }
    return {
      counts: perStatus((status) => Math.max(0, Number(counts[status] ?? 0))),
      recent: [...latest.values()].slice(0, PAYMENTS_SHOWN),
      errors: errors.map((raw) => JSON.parse(raw) as OpsError),
      series,
    };
  }

  /** The charts' last 15 minutes: the window's 90 buckets, read in one pipeline. */
  async readSeries(): Promise<OpsSeries> {
    const now = Date.now();
    const starts = windowStarts(now);
    const pipeline = this.redis.pipeline();
    for (const start of starts) pipeline.hgetall(seriesKey(this.base, start));
    const replies = (await pipeline.exec()) ?? [];
    const buckets: OpsSeriesBucket[] = [];
    for (const [index, [err, hash]] of replies.entries()) {
      if (err) throw err;
      const bucket = parseSeriesBucket(starts[index]!, hash as Record<string, string>);
      if (bucket !== undefined) buckets.push(bucket);
    }
    return { at: new Date(now).toISOString(), buckets };
  }
}
