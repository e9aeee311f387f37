import { describe, expect, it } from 'vitest';
import type { OnSecond } from '../drivers/drive.js';
import { duringWindow, type Disruption } from './disruption.js';

/** A run of `seconds` seconds whose clock reads 1,000 ms a second plus `lateMs`, as drive calls its hook. */
function fakeRun(seconds: number, lateMs = 0) {
  return async (onSecond: OnSecond) => {
    for (let s = 1; s <= seconds; s++) {
      await onSecond(s, () => s * 1_000 + lateMs);
      await new Promise((resolve) => setImmediate(resolve));
    }
    return 'ran';
  };
}

function recorder(overrides: Partial<Disruption> = {}) {
  const calls: string[] = [];
  const disruption: Disruption = {
    begin: () => Promise.resolve(calls.push('begin')),
    end: () => Promise.resolve(calls.push('end')),
    ...overrides,
  };
  return { calls, disruption };
}

describe('a disruption window in a run', () => {
  it('begins at its second and ends its length later, with the times read from the run’s clock', async () => {
    const { calls, disruption } = recorder();
    const { value, window } = await duringWindow({ fromS: 3, forS: 4 }, disruption, fakeRun(10, 20));
    expect(value).toBe('ran');
    expect(calls).toEqual(['begin', 'end']);
    expect(window).toEqual({ fromS: 3, forS: 4, beginAtMs: 3_020, goneAtMs: 3_020, endAtMs: 7_020, backAtMs: 7_020 });
  });

  it('when taking it away is slow, the run goes on meanwhile and the end waits for the begin', async () => {
    let release = () => {};
    const seen: number[] = [];
    const { calls, disruption } = recorder({ begin: () => new Promise<void>((resolve) => (release = resolve)) });
    const run = async (onSecond: OnSecond) => {
      for (let s = 1; s <= 6; s++) {
        const returned = onSecond(s, () => s * 1_000);
        seen.push(s);
        if (s === 5) release();
        await returned;
      }
    };
    const { window } = await duringWindow({ fromS: 1, forS: 2 }, disruption, run);
    expect(seen).toEqual([1, 2, 3, 4, 5, 6]);
    expect(calls).toEqual(['end']);
    expect(window.beginAtMs).toBe(1_000);
    expect(window.goneAtMs).toBeGreaterThanOrEqual(5_000);
    expect(window.endAtMs).toBeGreaterThanOrEqual(window.goneAtMs);
  });

  it('when the run ends before the window’s end, gives it back anyway', async () => {
    const { calls, disruption } = recorder();
    await duringWindow({ fromS: 2, forS: 20 }, disruption, fakeRun(5));
    expect(calls).toEqual(['begin', 'end']);
  });

  it('when the run fails, gives it back and lets the run’s error through', async () => {
    const { calls, disruption } = recorder();
    const failing = async (onSecond: OnSecond) => {
      await onSecond(1, () => 1_000);
      throw new Error('run broke');
    };
    await expect(duringWindow({ fromS: 1, forS: 5 }, disruption, failing)).rejects.toThrow('run broke');
    expect(calls).toEqual(['begin', 'end']);
  });

  it('when taking it away fails, still tries to give it back, and throws once the run is over', async () => {
    const { calls, disruption } = recorder({ begin: () => Promise.reject(new Error('no such process')) });
    await expect(duringWindow({ fromS: 1, forS: 2 }, disruption, fakeRun(5))).rejects.toThrow('no such process');
    expect(calls).toEqual(['end']);
  });

  it('when the run ends before the window was to begin, says so', async () => {
    const { calls, disruption } = recorder();
    await expect(duringWindow({ fromS: 9, forS: 2 }, disruption, fakeRun(5))).rejects.toThrow(/before second 9/);
    expect(calls).toEqual([]);
  });
});
