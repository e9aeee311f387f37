import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * A Lua script that Redis runs by its SHA-1 (EVALSHA): the script's text crosses the wire and is
 * hashed by Redis once, not on every call. When Redis does not know it (first use, or after a
 * restart) it answers NOSCRIPT, and the script is sent whole (EVAL), which loads it again.
 */
export class RedisScript {
  private readonly sha: string;

  constructor(private readonly lua: string) {
    this.sha = createHash('sha1').update(lua).digest('hex');
  }

  async run(redis: Redis, keys: string[], args: Array<string | number>): Promise<unknown> {
    try {
      return await redis.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (err) {
      if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
      return redis.eval(this.lua, keys.length, ...keys, ...args);
    }
  }
}
