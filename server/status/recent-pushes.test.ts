import { describe, expect, it } from 'vitest';
import { RecentPushes } from './recent-pushes.js';

describe('RecentPushes', () => {
  it('names the payments pushed since a moment, each once, oldest first, by its latest push', () => {
    let now = 1_000;
    const pushes = new RecentPushes(() => now);
    pushes.pushed('a');
    now = 2_000;
    pushes.pushed('b');
    now = 3_000;
    pushes.pushed('a');
    expect(pushes.since(0)).toEqual(['b', 'a']);
    expect(pushes.since(2_500)).toEqual(['a']);
    expect(pushes.since(3_001)).toEqual([]);
  });

  it('forgets pushes older than a minute', () => {
    let now = 0;
    const pushes = new RecentPushes(() => now);
    pushes.pushed('old');
    now = 61_000;
    pushes.pushed('new');
    expect(pushes.since(-1)).toEqual(['new']);
  });
});
