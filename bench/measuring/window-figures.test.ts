import { describe, expect, it } from 'vitest';
import type { ShopperResult } from '../drivers/shopper.js';
import type { WindowTimes } from '../scenarios/disruption.js';
import { windowFigures } from './window-figures.js';

// Stopped from 10.2 s (SIGTERM) to 30.1 s (start asked), back (ready) at 33 s.
const WINDOW: WindowTimes = { fromS: 10, forS: 20, beginAtMs: 10_200, goneAtMs: 11_500, endAtMs: 30_100, backAtMs: 33_000 };

const signedIn = (arrivalMs: number, signedInMs: number, firstAnswerMs = 5): ShopperResult => ({ arrivalMs, outcome: 'signed-in', firstAnswerMs, signedInMs });

describe('the figures of the shoppers who paid while the workers were stopped', () => {
  it('picks the arrivals from the stop to the start, and takes their first answers and times to signed-in', () => {
    const results = [
      signedIn(10_000, 620), // before the stop: not one of them
      signedIn(10_200, 24_000, 4),
      signedIn(20_000, 15_000, 6),
      signedIn(30_099, 6_000, 8),
      signedIn(30_100, 5_000), // the start was asked: not one of them
    ];
    const figures = windowFigures(results, WINDOW);
    expect(figures.arrived).toBe(3);
    expect(figures.firstAnswer).toMatchObject({ count: 3, p50: 6, max: 8 });
    // The histogram keeps three significant digits.
    expect(figures.signedIn.count).toBe(3);
    expect(figures.signedIn.p50).toBeCloseTo(15_000, -2);
    expect(figures.signedIn.max).toBeCloseTo(24_000, -2);
    expect(figures).toMatchObject({ errors: {}, errorCount: 0 });
  });

  it('counts their errors by code, and leaves the ones who did not sign in out of time to signed-in', () => {
    const results: ShopperResult[] = [
      signedIn(12_000, 21_000),
      { arrivalMs: 13_000, outcome: 'error', firstAnswerMs: 300, error: 'DOWNSTREAM_UNAVAILABLE' },
      { arrivalMs: 14_000, outcome: 'error', firstAnswerMs: 310, error: 'DOWNSTREAM_UNAVAILABLE' },
    ];
    const figures = windowFigures(results, WINDOW);
    expect(figures).toMatchObject({ arrived: 3, errors: { DOWNSTREAM_UNAVAILABLE: 2 }, errorCount: 2 });
    expect(figures.signedIn.count).toBe(1);
    expect(figures.firstAnswer.count).toBe(3);
  });

  it('measures the backlog drained from the start asked to the last sign-in of those who arrived before the workers were back', () => {
    const results = [
      signedIn(12_000, 27_000), // signs in at 39 s
      signedIn(32_900, 8_000), // arrived while the workers were starting: signs in at 40.9 s, the last of the backlog
      signedIn(33_000, 9_000), // arrived once they were back: not the backlog
    ];
    expect(windowFigures(results, WINDOW).drainedMs).toBe(10_800);
  });

  it('when a shopper of the backlog timed out, gives no drained figure rather than an understated one', () => {
    const results: ShopperResult[] = [signedIn(12_000, 27_000), { arrivalMs: 15_000, outcome: 'timeout', error: 'timeout' }];
    expect(windowFigures(results, WINDOW).drainedMs).toBeNull();
  });

  it('when nobody arrived during the window, has empty figures', () => {
    const figures = windowFigures([signedIn(1_000, 600)], WINDOW);
    expect(figures).toMatchObject({ arrived: 0, errorCount: 0, drainedMs: 0 });
    expect(figures.signedIn.count).toBe(0);
  });
});
