import { describe, expect, it } from 'vitest';
import { RecordScheduler } from './record-scheduler.js';

describe('RecordScheduler', () => {
  it('records with the same key run one after the other, others side by side', async () => {
    const scheduler = new RecordScheduler(10);
    const order: string[] = [];
    let releaseFirst!: () => void;
    scheduler.run('a', () => new Promise<void>((resolve) => (releaseFirst = resolve)).then(() => void order.push('a1')));
    scheduler.run('a', () => Promise.resolve().then(() => void order.push('a2')));
    scheduler.run('b', () => Promise.resolve().then(() => void order.push('b1')));
    await new Promise((resolve) => setImmediate(resolve));
    expect(order).toEqual(['b1']);
    releaseFirst();
    await scheduler.settled();
    expect(order).toEqual(['b1', 'a1', 'a2']);
  });

  it('a wait for a slot that timed out leaves nothing behind, however long the partition stays full', async () => {
    const scheduler = new RecordScheduler(1);
    scheduler.run('stuck', () => new Promise<void>(() => {}));
    expect(scheduler.full).toBe(true);
    for (let i = 0; i < 100; i++) await scheduler.waitForSlot(0);
    expect(scheduler.waitingForSlot).toBe(0);
  });
});
