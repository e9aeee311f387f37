/**
 * What the live view knows: payments per status, the furthest move of each recent payment, and
 * the last errors. Starts from the board the server sends on connect and follows each move.
 */
import type { OpsBoard, OpsError } from '../../../contracts/ops-events.js';
import { furtherMove, type OpsMove } from '../../../contracts/ops-move.js';
import { perStatus } from '../../../contracts/lifecycle.js';
import type { PaymentStatusName } from '../../../contracts/payment-status.js';

const PAYMENTS_KEPT = 200;
const ERRORS_KEPT = 20;

export class BoardState {
  counts: Record<PaymentStatusName, number> = perStatus(() => 0);
  /** By paymentId, least recently moved first. */
  private readonly payments = new Map<string, OpsMove>();
  errors: OpsError[] = [];

  load(board: OpsBoard): void {
    this.counts = { ...board.counts };
    this.payments.clear();
    for (const move of [...board.recent].reverse()) this.payments.set(move.paymentId, move);
    this.errors = [...board.errors];
  }

  applyMove(move: OpsMove): void {
    this.counts[move.to] += 1;
    if (move.from !== null) this.counts[move.from] -= 1;
    const known = this.payments.get(move.paymentId);
    this.payments.delete(move.paymentId);
    this.payments.set(move.paymentId, known === undefined ? move : furtherMove(known, move));
    if (this.payments.size > PAYMENTS_KEPT) this.payments.delete(this.payments.keys().next().value!);
  }

  addError(error: OpsError): void {
    this.errors = [error, ...this.errors].slice(0, ERRORS_KEPT);
  }

  /** Payments in `status` now, as counted (never below zero: moves of one payment can arrive out of order). */
  count(status: PaymentStatusName): number {
    return Math.max(0, this.counts[status]);
  }

  /** The most recently moved payments, newest first. */
  recent(limit: number, status?: PaymentStatusName): OpsMove[] {
    const newestFirst = [...this.payments.values()].reverse();
    return (status === undefined ? newestFirst : newestFirst.filter((move) => move.to === status)).slice(0, limit);
  }
}
