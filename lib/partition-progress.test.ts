import { describe, expect, it } from 'vitest';
import { PartitionProgress } from './partition-progress.js';

describe('PartitionProgress', () => {
  it('commits nothing before any record started', () => {
    expect(new PartitionProgress().commitPoint()).toBeUndefined();
  });

  it('when records finish out of order, commits only up to the first unfinished one', () => {
    const progress = new PartitionProgress();
    for (const offset of [10, 11, 12]) progress.start(offset, 0);
    progress.finish(11);
    progress.finish(12);
    expect(progress.commitPoint()).toBe(10);
    progress.finish(10);
    expect(progress.commitPoint()).toBe(13);
  });

  it('once a point is committed, offers it again only after it moved on', () => {
    const progress = new PartitionProgress();
    progress.start(0, 0);
    progress.finish(0);
    progress.committedAt(progress.commitPoint()!);
    expect(progress.commitPoint()).toBeUndefined();
    progress.start(1, 0);
    expect(progress.commitPoint()).toBeUndefined();
    progress.finish(1);
    expect(progress.commitPoint()).toBe(2);
  });

  it('its position is the first unfinished offset even once committed, so a membership check can commit it again', () => {
    const progress = new PartitionProgress();
    expect(progress.position()).toBeUndefined();
    progress.start(4, 0);
    progress.start(5, 0);
    progress.finish(5);
    progress.committedAt(4);
    expect(progress.commitPoint()).toBeUndefined();
    expect(progress.position()).toBe(4);
  });
});

describe('PartitionProgress.unfinished', () => {
  it('lists the unfinished records in offset order with when the group first saw each, and where the started records end', () => {
    const progress = new PartitionProgress();
    expect(progress.unfinished()).toBeUndefined();
    progress.start(7, 300);
    progress.start(5, 100);
    progress.start(6, 200);
    progress.finish(6);
    expect(progress.unfinished()).toEqual({
      records: [
        { offset: 5, firstSeenAt: 100 },
        { offset: 7, firstSeenAt: 300 },
      ],
      end: 8,
    });
    progress.finish(5);
    progress.finish(7);
    expect(progress.unfinished()).toBeUndefined();
  });
});
