import { describe, expect, it } from 'vitest';
import { PermanentError } from '../../lib/downstream-error.js';
import { TransientDownstreamError } from './downstream-client.js';
import { GiveUpRefusedError, StepBudget, type StepAttempt } from './step-budget.js';

const occurredAt = Date.parse('2026-01-01T00:00:00Z');
const event = { eventId: 'e-1', paymentId: 'p-1', correlationId: 'c-1', occurredAt: new Date(occurredAt).toISOString() };
const refused = new PermanentError('BILLING_GATES_REFUSED', 'billing-gates refused the charge lookup (HTTP 403)');

/** A step whose attempt always fails transiently and whose give-up is always refused. */
function refusedStep(): StepAttempt<string> & { unresolvedWith: PermanentError[] } {
  const unresolvedWith: PermanentError[] = [];
  return {
    unresolvedWith,
    attempt: () => Promise.reject(new TransientDownstreamError('billing-gates', 'HTTP 503', { effect: 'none' })),
    giveUp: () => Promise.reject(refused),
    unresolved: (error) => {
      unresolvedWith.push(error);
      return Promise.resolve('unresolved');
    },
  };
}

describe('StepBudget: a give-up refused for good', () => {
  it('within the settle window, it is asked again as a transient failure', async () => {
    const budget = new StepBudget(1_000, { now: () => occurredAt + 1_500, settleMs: 1_000 });
    const step = refusedStep();
    await expect(budget.run(event, undefined, step)).rejects.toBeInstanceOf(GiveUpRefusedError);
    expect(step.unresolvedWith).toEqual([]);
  });

  it('past the settle window, the step ends unresolved with the refusal', async () => {
    const budget = new StepBudget(1_000, { now: () => occurredAt + 2_001, settleMs: 1_000 });
    const step = refusedStep();
    await expect(budget.run(event, undefined, step)).resolves.toBe('unresolved');
    expect(step.unresolvedWith).toEqual([refused]);
  });

  it('the settle window is the deadline unless set', () => {
    expect(new StepBudget(5_000).settleMs).toBe(5_000);
  });

  it('a step without `unresolved` passes the refusal on, to be dead-lettered as before', async () => {
    const budget = new StepBudget(1_000, { now: () => occurredAt + 10_000 });
    const { unresolved: _, ...step } = refusedStep();
    await expect(budget.run(event, undefined, step)).rejects.toBe(refused);
  });
});
