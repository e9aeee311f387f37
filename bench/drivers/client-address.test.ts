import { describe, expect, it } from 'vitest';
import { shopperAddress } from './client-address.js';

describe('shopperAddress', () => {
  it('gives each shopper an address of its own in the benchmarking range 198.18.0.0/15', () => {
    expect(shopperAddress(0)).toBe('198.18.0.1');
    expect(shopperAddress(255)).toBe('198.18.1.0');
    expect(shopperAddress(2 ** 17 - 3)).toBe('198.19.255.254');
    expect(new Set(Array.from({ length: 20_000 }, (_, i) => shopperAddress(i))).size).toBe(20_000);
  });

  it('comes back to the first address after the last, never naming the range itself or its broadcast address', () => {
    expect(shopperAddress(2 ** 17 - 2)).toBe('198.18.0.1');
  });
});
