import type { Redis } from 'ioredis';
import { furtherMove, PaymentStatusName, type OpsBoard, type OpsError, type OpsMove } from '../../contracts/index.js';

/** Moves kept to rebuild the board from; the board shows the furthest move of each payment among them. */
const MOVES_KEPT = 200;
const PAYMENTS_SHOWN = 30;
const ERRORS_KEPT = 20;

/**
 * The live view's board in Redis, shared by every BFF replica: payments per status (a hash, moved
 * by one on every accepted payment and every status change), the latest moves and errors (capped lists).
 */
export class OpsBoardStore {
  private readonly countsKey: string;
  private readonly movesKey: string;
  private readonly errorsKey: string;

  /** `prefix` keeps deployments sharing a Redis apart (the KAFKA_TOPIC_PREFIX). */
  constructor(
    private readonly redis: Redis,
    prefix = '',
  ) {
    const base = `payflow:${prefix}ops:`;
    this.countsKey = `${base}counts`;
    this.movesKey = `${base}moves`;
    this.errorsKey = `${base}errors`;
  }

  async recordMove(move: OpsMove): Promise<void> {
    const multi = this.redis.multi().hincrby(this.countsKey, move.to, 1);
    if (move.from !== null) multi.hincrby(this.countsKey, move.from, -1);
    await multi
      .lpush(this.movesKey, JSON.stringify(move))
      .ltrim(this.movesKey, 0, MOVES_KEPT - 1)
      .exec();
  }

  async recordError(error: OpsError): Promise<void> {
    await this.redis.multi().lpush(this.errorsKey, JSON.stringify(error)).ltrim(this.errorsKey, 0, ERRORS_KEPT - 1).exec();
  }

  async read(): Promise<OpsBoard> {
    const [counts, moves, errors] = await Promise.all([this.redis.hgetall(this.countsKey), this.redis.lrange(this.movesKey, 0, -1), this.redis.lrange(this.errorsKey, 0, -1)]);
    const latest = new Map<string, OpsMove>();
    for (const raw of moves) {
      const move = JSON.parse(raw) as OpsMove;
      const known = latest.get(move.paymentId);
      latest.set(move.paymentId, known === undefined ? move : furtherMove(known, move));
    }
    return {
      counts: Object.fromEntries(PaymentStatusName.options.map((status) => [status, Math.max(0, Number(counts[status] ?? 0))])) as OpsBoard['counts'],
      recent: [...latest.values()].slice(0, PAYMENTS_SHOWN),
      errors: errors.map((raw) => JSON.parse(raw) as OpsError),
    };
  }
}
