import { describe, expect, it } from 'vitest';
import { HistoryKeys } from './history-keys.js';

describe('HistoryKeys', () => {
  it('names an email by the hash of its lowercased form, so the key shows no address and the case does not matter', () => {
    const keys = new HistoryKeys('p.');
    expect(keys.email('Ada@Example.com')).toBe(keys.email(' ada@example.com'));
    expect(keys.email('ada@example.com')).toMatch(/^payflow:p\.history:email:[0-9a-f]{64}$/);
    expect(keys.email('ada@example.com')).not.toBe(keys.email('bob@example.com'));
  });
});
