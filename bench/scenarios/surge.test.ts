import { describe, expect, it } from 'vitest';
import type { ShopperResult } from '../drivers/shopper.js';
import { surgeFigures, surgeTimeoutS } from './surge.js';

const accepted = (arrivalMs: number, signedInMs: number): ShopperResult => ({
  arrivalMs,
  outcome: 'signed-in',
  firstAnswerMs: 5,
  firstAnswerStatus: 202,
  signedInMs,
});

describe('the figures of a surge', () => {
  it('counts a 2xx within 1 s as answered, and the drain up to the last shopper signed in, from the first arrival', () => {
    const results: ShopperResult[] = [accepted(0, 700), accepted(500, 2_800), accepted(900, 29_600)];
    expect(surgeFigures(results, 3)).toEqual({
      answeredWithin1s: 3,
      answeredShare: 1,
      lastSignedInS: 30.5,
      signedInBySecond: [1, 1, 1, 2, ...Array.from({ length: 26 }, () => 2), 3],
    });
  });

  it('an error answered at once, a 2xx after a second, a timeout and a shed arrival are not answered', () => {
    const results: ShopperResult[] = [
      { arrivalMs: 0, outcome: 'error', firstAnswerMs: 150, firstAnswerStatus: 502, error: 'DOWNSTREAM_UNAVAILABLE' },
      { arrivalMs: 10, outcome: 'signed-in', firstAnswerMs: 1_200, firstAnswerStatus: 200, signedInMs: 1_200 },
      { arrivalMs: 20, outcome: 'timeout', error: 'timeout' },
    ];
    expect(surgeFigures(results, 4)).toEqual({ answeredWithin1s: 0, answeredShare: 0, lastSignedInS: 1.2, signedInBySecond: [0, 1] });
  });

  it('when nobody signs in, there is no drain time', () => {
    expect(surgeFigures([{ arrivalMs: 0, outcome: 'timeout', error: 'timeout' }], 1)).toMatchObject({ lastSignedInS: null, signedInBySecond: [] });
  });

  it('shoppers wait long enough for the whole backlog to drain at capacity, and never less than --timeout', () => {
    expect(surgeTimeoutS({ timeout: 60, surgeDuration: 10 })).toBe(60);
    expect(surgeTimeoutS({ timeout: 60, surgeDuration: 30 })).toBe(120);
    expect(surgeTimeoutS({ timeout: 300, surgeDuration: 30 })).toBe(300);
  });
});
