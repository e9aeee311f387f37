import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff.js';

describe('backoffDelay', () => {
  it('doubles per attempt from the initial delay', () => {
    const top = () => 0.999999;
    expect([0, 1, 2, 3].map((attempt) => backoffDelay(attempt, { initialMs: 100, maxMs: 10_000 }, top))).toEqual([100, 200, 400, 800]);
  });

  it('never exceeds the cap, however many attempts', () => {
    expect(backoffDelay(1_000, { initialMs: 100, maxMs: 5_000 }, () => 0.999999)).toBe(5_000);
  });

  it('spreads retries between half and all of the ceiling', () => {
    expect(backoffDelay(2, { initialMs: 100 }, () => 0)).toBe(200);
    expect(backoffDelay(2, { initialMs: 100 }, () => 0.5)).toBe(300);
  });
});
