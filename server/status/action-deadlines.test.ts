import { describe, expect, it, vi } from 'vitest';
import type { PaymentEvent, PaymentSnapshot } from '../../contracts/index.js';
import { createLogger } from '../../lib/logger.js';
import { startActionSweep, type ActionDeadlines } from './action-deadlines.js';

const EXPIRES_AT = '2026-01-01T00:15:00.000Z';

/** Deadlines holding `due` payments, whose claims succeed once each; records what was put back or settled. */
function deadlinesOf(due: string[]) {
  const claimed = new Set<string>();
  const calls = { settled: [] as string[], putBack: [] as string[] };
  const deadlines = {
    due: () => Promise.resolve(due.filter((id) => !claimed.has(id)).map((paymentId) => ({ paymentId, expiresAt: EXPIRES_AT }))),
    claim: (id: string) => Promise.resolve(!claimed.has(id) && (claimed.add(id), true)),
    settled: (id: string) => Promise.resolve(void calls.settled.push(id)),
    awaiting: (id: string) => Promise.resolve(void (claimed.delete(id), calls.putBack.push(id))),
  } as unknown as ActionDeadlines;
  return { deadlines, calls };
}

const waiting = (paymentId: string) => ({ paymentId, status: 'requires_action', seq: 1, updatedAt: EXPIRES_AT }) as PaymentSnapshot;

describe('the challenge deadline sweep', () => {
  it('publishes ChargeActionExpired for a payment past its deadline still in requires_action, once; one whose snapshot cannot be read holds up no other', async () => {
    const { deadlines } = deadlinesOf(['unreadable', 'p1']);
    const published: PaymentEvent[] = [];
    const sweep = startActionSweep({
      deadlines,
      payments: { snapshot: (id) => (id === 'unreadable' ? Promise.reject(new Error('SNAPSHOT_UNREADABLE')) : Promise.resolve(waiting(id))) },
      publish: (event) => Promise.resolve(void published.push(event)),
      recorded: () => Promise.resolve(),
      logger: createLogger('test', 'silent'),
      everyMs: 5,
    });
    try {
      await vi.waitFor(() => expect(published).toHaveLength(1));
      await new Promise((resolve) => setTimeout(resolve, 30));
      expect(published.map(({ type, paymentId, data }) => ({ type, paymentId, data }))).toEqual([
        { type: 'ChargeActionExpired', paymentId: 'p1', data: { expiresAt: EXPIRES_AT } },
      ]);
    } finally {
      await sweep.stop();
    }
  });

  it('a payment that moved on is only removed; one whose publish fails is put back for the next sweep', async () => {
    const { deadlines, calls } = deadlinesOf(['paid', 'p2']);
    let failures = 1;
    const published: string[] = [];
    const sweep = startActionSweep({
      deadlines,
      payments: { snapshot: (id) => Promise.resolve(id === 'paid' ? { ...waiting(id), status: 'paid' as const } : waiting(id)) },
      publish: (event) => (failures-- > 0 ? Promise.reject(new Error('KAFKA_UNAVAILABLE')) : Promise.resolve(void published.push(event.paymentId))),
      recorded: () => Promise.resolve(),
      logger: createLogger('test', 'silent'),
      everyMs: 5,
    });
    try {
      await vi.waitFor(() => expect(published).toEqual(['p2']));
      expect(calls.putBack).toEqual(['p2']);
      expect(calls.settled).toContain('paid');
    } finally {
      await sweep.stop();
    }
  });
});
