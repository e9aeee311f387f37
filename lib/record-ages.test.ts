import { describe, expect, it } from 'vitest';
import { ageAt, decodeRecordAges, encodeRecordAges, MAX_AGE_ENTRIES } from './record-ages.js';

const unfinished = (records: Array<[offset: number, firstSeenAt: number]>, end: number) => ({
  records: records.map(([offset, firstSeenAt]) => ({ offset, firstSeenAt })),
  end,
});

describe('record ages in a commit', () => {
  it('are durations at the commit, which decode back as they were', () => {
    const metadata = encodeRecordAges(
      unfinished(
        [
          [10, 1_000],
          [12, 4_000],
        ],
        15,
      ),
      5_000.4,
    );
    expect(decodeRecordAges(metadata)).toEqual({
      ages: [
        [10, 4_000],
        [12, 1_000],
      ],
      end: 15,
    });
  });

  it('are none when nothing is unfinished', () => {
    expect(encodeRecordAges(undefined, 5_000)).toBeNull();
    expect(encodeRecordAges(unfinished([], 3), 5_000)).toBeNull();
  });

  it('read a record past the commit point as old as the unfinished record before it, and one at or past the end as never seen', () => {
    const ages = {
      ages: [
        [10, 4_000],
        [12, 1_000],
      ] as Array<[number, number]>,
      end: 15,
    };
    expect([9, 10, 11, 12, 14, 15, 99].map((offset) => ageAt(ages, offset))).toEqual([undefined, 4_000, 4_000, 1_000, 1_000, undefined, undefined]);
  });

  it('past MAX_AGE_ENTRIES records, merge neighbours of about the same age, each taken as old as the oldest of them, and stay far inside 4096 bytes', () => {
    const now = 10_000_000;
    // 1000 records first seen 1 s apart, the oldest first, at offsets near the largest a Kafka offset can be here.
    const first = Number.MAX_SAFE_INTEGER - 2_000;
    const records = Array.from({ length: 1_000 }, (_, i): [number, number] => [first + i * 2, now - (1_000 - i) * 1_000]);
    const metadata = encodeRecordAges(unfinished(records, first + 2_000), now)!;
    expect(metadata.length).toBeLessThan(2_500);
    const ages = decodeRecordAges(metadata)!;
    expect(ages.ages.length).toBeLessThanOrEqual(MAX_AGE_ENTRIES);
    for (const [offset, firstSeenAt] of records) {
      const actual = now - firstSeenAt;
      const read = ageAt(ages, offset)!;
      // Never younger than it is (a budget never grows by a merge), older by at most the granularity merged.
      expect(read).toBeGreaterThanOrEqual(actual);
      expect(read - actual).toBeLessThan(32_000);
    }
  });

  it.each([
    ['null', null],
    ['an empty string', ''],
    ['not JSON', 'replayed by an operator'],
    ['another version', '{"v":2,"ages":[[1,1]],"end":2}'],
    ['offsets that do not ascend', '{"v":1,"ages":[[5,1],[4,1]],"end":9}'],
    ['an end before the last entry', '{"v":1,"ages":[[5,1]],"end":5}'],
    ['a negative age', '{"v":1,"ages":[[5,-1]],"end":6}'],
    ['no entries', '{"v":1,"ages":[],"end":6}'],
  ])('decode %s (metadata written by something else) as no ages', (_, metadata) => {
    expect(decodeRecordAges(metadata)).toBeUndefined();
  });
});
