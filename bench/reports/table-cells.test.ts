import { describe, expect, it } from 'vitest';
import type { EventLoopDelay } from '../measuring/event-loop-delay.js';
import { bffDelayCell } from './table-cells.js';

const delay = (process: string, p99: number): EventLoopDelay => ({ process, p50: 10.2, p90: 11, p99, max: 40.5, mean: 10.6 });

describe('the BFF event-loop delay cell', () => {
  it("shows the one BFF's p50 / p99 / max and leaves the workers out", () => {
    expect(bffDelayCell([delay('bff', 21.3), delay('billing-worker', 90)])).toBe('10.2 / 21.3 / 40.5');
  });

  it('names each replica when there are several', () => {
    expect(bffDelayCell([delay('bff-1', 12), delay('bff-2', 13)])).toBe('bff-1 10.2 / 12 / 40.5; bff-2 10.2 / 13 / 40.5');
  });

  it('shows a dash when the BFF gave no figure', () => {
    expect(bffDelayCell([delay('order-worker', 11)])).toBe('–');
  });
});
