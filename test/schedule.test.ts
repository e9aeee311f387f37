import { describe, expect, it } from 'vitest';
import { dealBySeconds, FILE_SECONDS } from './schedule.js';

describe('dealBySeconds', () => {
  it('deals the longest first, each to the group with the fewest seconds so far', () => {
    const seconds = { a: 10, b: 8, c: 6, d: 5, e: 1 };
    expect(dealBySeconds(['a', 'b', 'c', 'd', 'e'], 2, seconds)).toEqual([
      ['a', 'd'],
      ['b', 'c', 'e'],
    ]);
  });

  it('counts a file it has no seconds for as the median of those it has', () => {
    const seconds = { a: 9, b: 3, c: 1 };
    expect(dealBySeconds(['a', 'b', 'new'], 2, seconds)).toEqual([['a'], ['b', 'new']]);
  });

  it('deals every file once, whatever the number of groups', () => {
    const files = Object.keys(FILE_SECONDS);
    for (const count of [1, 2, 3]) expect(dealBySeconds(files, count).flat().sort()).toEqual([...files].sort());
  });
});

describe('test/file-seconds.json', () => {
  it('names files that exist, each with a number of seconds', async () => {
    const { existsSync } = await import('node:fs');
    for (const [file, seconds] of Object.entries(FILE_SECONDS)) {
      expect(existsSync(new URL(`../${file}`, import.meta.url)), file).toBe(true);
      expect(seconds).toBeGreaterThan(0);
    }
  });
});
