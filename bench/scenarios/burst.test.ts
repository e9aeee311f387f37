import { describe, expect, it } from 'vitest';
import type { ShopperResult } from '../drivers/shopper.js';
import { burstFigures } from './burst.js';

const signedIn = (firstAnswerMs: number): ShopperResult => ({ arrivalMs: 0, outcome: 'signed-in', firstAnswerMs, signedInMs: firstAnswerMs + 600 });

describe('the figures of a burst', () => {
  it('when every shopper signs in, takes the percentiles of their first answers and counts no error', () => {
    const results = Array.from({ length: 100 }, (_, i) => signedIn(i + 1));
    const figures = burstFigures(results);
    expect(figures).toMatchObject({ size: 100, signedIn: 100, errorCount: 0, errors: {} });
    expect(figures.firstAnswer).toMatchObject({ count: 100, p50: 50, p99: 99, max: 100 });
  });

  it('when some shoppers fail, counts them by code, and their answers still count as first answers', () => {
    const results: ShopperResult[] = [
      signedIn(5),
      { arrivalMs: 0, outcome: 'error', firstAnswerMs: 7, error: 'STORE_UNAVAILABLE' },
      { arrivalMs: 0, outcome: 'error', firstAnswerMs: 9, error: 'STORE_UNAVAILABLE' },
      { arrivalMs: 0, outcome: 'timeout', error: 'timeout' },
    ];
    const figures = burstFigures(results);
    expect(figures).toMatchObject({ size: 4, signedIn: 1, errorCount: 3, errors: { STORE_UNAVAILABLE: 2, timeout: 1 } });
    expect(figures.firstAnswer.count).toBe(3);
    expect(figures.firstAnswer.max).toBe(9);
  });
});
