import { describe, expect, it } from 'vitest';
import { redisPortCount, redisPortsFor, redisPortsFrom } from './redis-ports.js';

describe("a local Redis' ports", () => {
  it("npm start's: one node on REDIS_PORT, or a set's nodes on the next ports and three Sentinels from REDIS_SENTINEL_PORT", () => {
    expect(redisPortsFor(1, 6379, 26379)).toEqual({ nodes: [6379], sentinels: [] });
    expect(redisPortsFor(3, 6379, 26379)).toEqual({ nodes: [6379, 6380, 6381], sentinels: [26379, 26380, 26381] });
  });

  it("a harness': free ports, the nodes first, then the Sentinels", () => {
    expect(redisPortCount(1)).toBe(1);
    expect(redisPortCount(3)).toBe(6);
    expect(redisPortsFrom([41000], 1)).toEqual({ nodes: [41000], sentinels: [] });
    expect(redisPortsFrom([41000, 41007, 41002, 41009, 41004, 41001], 3)).toEqual({ nodes: [41000, 41007, 41002], sentinels: [41009, 41004, 41001] });
  });
});
