import { describe, expect, it } from 'vitest';
import type { OpsMove } from '../../../contracts/ops-move.js';
import { BoardState } from './board-state.js';

const move = (paymentId: string, from: OpsMove['from'], to: OpsMove['to']): OpsMove => ({ paymentId, from, to, at: new Date().toISOString() });

describe('the live view board', () => {
  it('counts each payment once, in the status it is in now', () => {
    const board = new BoardState();
    board.applyMove(move('a', null, 'processing'));
    board.applyMove(move('b', null, 'processing'));
    board.applyMove(move('a', 'processing', 'paid'));
    board.applyMove(move('a', 'paid', 'confirmed'));
    expect(board.counts).toEqual({ processing: 1, requires_action: 0, paid: 0, confirmed: 1, failed: 0, refunded: 0, refund_failed: 0 });
    expect(board.recent(10).map((m) => [m.paymentId, m.to])).toEqual([
      ['a', 'confirmed'],
      ['b', 'processing'],
    ]);
  });

  it('when the charge is seen before the acceptance, the payment still shows as charged and the counts even out', () => {
    const board = new BoardState();
    board.applyMove(move('a', 'processing', 'paid'));
    expect(board.count('processing')).toBe(0);
    board.applyMove(move('a', null, 'processing'));
    expect(board.recent(1)[0]?.to).toBe('paid');
    expect(board.counts).toMatchObject({ processing: 0, paid: 1 });
  });
});
