import { describe, expect, it } from 'vitest';
import { PermanentError } from '../../lib/downstream-error.js';
import { TransientDownstreamError } from './downstream-client.js';
import { GiveUpRefusedError, StepBudget, type StepAttempt } from './step-budget.js';

const event = { eventId: 'e-1', paymentId: 'p-1', correlationId: 'c-1' };
/** The record as the consumer hands it over, first seen by the worker group `ageMs` ago. */
const seenFor = (ageMs: number) => ({ seen: { ageMs: () => ageMs, firstHere: true } });
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
    const budget = new StepBudget(1_000, { settleMs: 1_000 });
    const step = refusedStep();
    const asked = budget.run(event, seenFor(1_500), step);
    await expect(asked).rejects.toBeInstanceOf(GiveUpRefusedError);
    await expect(asked).rejects.toMatchObject({ retryable: true });
    expect(step.unresolvedWith).toEqual([]);
  });

  it('past the settle window, the step ends unresolved with the refusal', async () => {
    const budget = new StepBudget(1_000, { settleMs: 1_000 });
    const step = refusedStep();
    await expect(budget.run(event, seenFor(2_001), step)).resolves.toBe('unresolved');
    expect(step.unresolvedWith).toEqual([refused]);
  });

  it('the settle window is the deadline unless set', () => {
    expect(new StepBudget(5_000).settleMs).toBe(5_000);
  });

  it('a step without `unresolved` passes the refusal on, to be dead-lettered as before', async () => {
    const budget = new StepBudget(1_000);
    const { unresolved: _, ...step } = refusedStep();
    await expect(budget.run(event, seenFor(10_000), step)).rejects.toBe(refused);
  });
});

describe('StepBudget: counted from when the worker group first saw the record', () => {
  const failing = (): StepAttempt<string> => ({
    attempt: () => Promise.reject(new TransientDownstreamError('billing-gates', 'HTTP 503', { effect: 'none' })),
    giveUp: () => Promise.resolve('given up'),
  });

  it.each([
    ['10 min ahead of', 600_000],
    ['10 min behind', -600_000],
  ])('an event stamped %s this worker keeps its whole budget: retried within it, given up past it', async (_, skewMs) => {
    const stamped = { ...event, eventId: `e-${skewMs}`, occurredAt: new Date(Date.now() + skewMs).toISOString() };
    const budget = new StepBudget(1_000);
    await expect(budget.run(stamped, seenFor(999), failing())).rejects.toBeInstanceOf(TransientDownstreamError);
    await expect(budget.run(stamped, seenFor(1_001), failing())).resolves.toBe('given up');
  });

  it('reads the age again after the try: a try that ends past the budget gives up at once', async () => {
    let ageMs = 900;
    const budget = new StepBudget(1_000);
    const slow: StepAttempt<string> = {
      attempt: () => {
        ageMs += 200;
        return Promise.reject(new TransientDownstreamError('billing-gates', 'no answer within 200 ms', { effect: 'unknown' }));
      },
      giveUp: () => Promise.resolve('given up'),
    };
    await expect(budget.run(event, { seen: { ageMs: () => ageMs, firstHere: true } }, slow)).resolves.toBe('given up');
  });

  it('a record first seen long ago by the group (an age inherited from a commit) still gets one try here first', async () => {
    const budget = new StepBudget(1_000);
    const charged: StepAttempt<string> = { attempt: () => Promise.resolve('charged'), giveUp: () => Promise.resolve('given up') };
    await expect(budget.run(event, seenFor(60_000), charged)).resolves.toBe('charged');
  });

  it('a Retry-After is cut to what is left of the budget', async () => {
    const budget = new StepBudget(1_000);
    const busy: StepAttempt<string> = {
      attempt: () => Promise.reject(new TransientDownstreamError('billing-gates', 'HTTP 429', { retryAfterMs: 30_000, effect: 'none' })),
      giveUp: () => Promise.resolve('given up'),
    };
    await expect(budget.run(event, seenFor(400), busy)).rejects.toMatchObject({ retryAfterMs: 600 });
  });
});
