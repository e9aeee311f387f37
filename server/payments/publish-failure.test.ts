import { describe, expect, it } from 'vitest';
import { publishFailure } from './publish-failure.js';

describe('the answer to a publish that failed', () => {
  it('says nothing was charged only when nothing was sent', () => {
    const full = publishFailure(Object.assign(new Error('queue full'), { code: 'PUBLISH_QUEUE_FULL' }), false);
    expect(full).toMatchObject({ status: 503, code: 'PUBLISH_QUEUE_FULL' });
    expect(full.message).toMatch(/nothing was charged/);

    const timedOut = publishFailure(new Error('Request Produce timed out'), true);
    expect(timedOut).toMatchObject({ status: 503, code: 'PAYMENT_NOT_CONFIRMED', headers: { 'Retry-After': '5' } });
    expect(timedOut.message).not.toMatch(/nothing was charged/);
    expect(timedOut.message).toMatch(/same Idempotency-Key/);
  });

  it('without an Idempotency-Key, warns that a retry may pay twice', () => {
    const answer = publishFailure(new Error('Request Produce timed out'), false);
    expect(answer.code).toBe('PAYMENT_NOT_CONFIRMED');
    expect(answer.message).toMatch(/second payment/);
    expect(answer.message).toMatch(/Idempotency-Key/);
  });
});
