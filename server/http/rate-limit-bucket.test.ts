import { describe, expect, it } from 'vitest';
import { rateLimitBucket } from './rate-limit-bucket.js';

describe('the rate-limit bucket of a client address', () => {
  it('is the IPv4 address itself', () => {
    expect(rateLimitBucket('198.51.100.7')).toBe('198.51.100.7');
  });

  it.each([
    ['2001:db8:5:6::1', '2001:db8:5:6::/64'],
    ['2001:db8:5:6:ffff:ffff:ffff:ffff', '2001:db8:5:6::/64'],
    ['2001:0DB8:0005:0006:abcd::9', '2001:db8:5:6::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['2001:db8:5:6::198.51.100.7', '2001:db8:5:6::/64'],
  ])('is the /64 of an IPv6 address: %s → %s', (address, bucket) => {
    expect(rateLimitBucket(address)).toBe(bucket);
  });

  it('puts every address of one /64 in one bucket, and the next /64 in another', () => {
    const buckets = new Set(['2001:db8:5:6::1', '2001:db8:5:6::2', '2001:db8:5:6:1:2:3:4'].map(rateLimitBucket));
    expect(buckets).toEqual(new Set(['2001:db8:5:6::/64']));
    expect(rateLimitBucket('2001:db8:5:7::1')).not.toBe(rateLimitBucket('2001:db8:5:6::1'));
  });

  it.each(['::ffff:198.51.100.7', '::FFFF:198.51.100.7', '::ffff:c633:6407', '0:0:0:0:0:ffff:198.51.100.7'])(
    'is the IPv4 address of an IPv4-mapped IPv6 address (%s), so both spellings share a counter',
    (address) => {
      expect(rateLimitBucket(address)).toBe('198.51.100.7');
    },
  );

  it('keeps what is not an address as it is', () => {
    expect(rateLimitBucket('unknown')).toBe('unknown');
    expect(rateLimitBucket('2001:db8::zz')).toBe('2001:db8::zz');
  });
});
