import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseEnv } from './env.js';
import { parseRedisUrl, redisConnectionOptions, redisEnvShape, redisUrlOf, sentinelUrl } from './redis-connection.js';

describe('parseRedisUrl', () => {
  it('reads one node from a redis:// URL, as it is', () => {
    expect(parseRedisUrl('redis://127.0.0.1:6379')).toEqual({ kind: 'node', url: 'redis://127.0.0.1:6379' });
    expect(parseRedisUrl('rediss://user:pw@cache.example:6380/2')).toEqual({ kind: 'node', url: 'rediss://user:pw@cache.example:6380/2' });
  });

  it('reads the Sentinels, the primary name, the password and the database of a redis+sentinel:// URL', () => {
    expect(parseRedisUrl('redis+sentinel://:s%40cret@10.0.0.5:26379,10.0.0.6:26380/orders/3')).toEqual({
      kind: 'sentinel',
      sentinels: [
        { host: '10.0.0.5', port: 26379 },
        { host: '10.0.0.6', port: 26380 },
      ],
      name: 'orders',
      password: 's@cret',
      db: 3,
    });
  });

  it('names the primary payflow when the URL names none', () => {
    expect(parseRedisUrl('redis+sentinel://127.0.0.1:26379')).toMatchObject({ kind: 'sentinel', name: 'payflow' });
  });

  it('says what is wrong with an address it cannot read', () => {
    expect(() => parseRedisUrl('127.0.0.1:6379')).toThrow('"127.0.0.1:6379" is not a URL; expected redis://host:port');
    expect(() => parseRedisUrl('http://127.0.0.1:6379')).toThrow('"http:" is not a Redis scheme; expected redis://, rediss:// or redis+sentinel://');
    expect(() => parseRedisUrl('redis+sentinel://10.0.0.5,10.0.0.6:26379/payflow')).toThrow('each Sentinel must be host:port, got "10.0.0.5"');
    expect(() => parseRedisUrl('redis+sentinel://10.0.0.5:26379/payflow/zero')).toThrow('the database "zero"');
  });

  it('reads back what sentinelUrl writes', () => {
    const sentinels = [
      { host: '127.0.0.1', port: 26379 },
      { host: '127.0.0.1', port: 26380 },
    ];
    expect(parseRedisUrl(sentinelUrl(sentinels, 'pay flow'))).toEqual({ kind: 'sentinel', sentinels, name: 'pay flow' });
  });
});

describe('redisUrlOf', () => {
  const read = (env: NodeJS.ProcessEnv) => redisUrlOf(parseEnv(z.object(redisEnvShape), env));

  it('takes REDIS_URL, or nothing when nothing is set', () => {
    expect(read({ REDIS_URL: 'redis://10.0.0.5:6379' })).toBe('redis://10.0.0.5:6379');
    expect(read({ REDIS_URL: '' })).toBeUndefined();
  });

  it('turns REDIS_SENTINELS and REDIS_SENTINEL_NAME into a redis+sentinel:// URL', () => {
    expect(read({ REDIS_SENTINELS: '10.0.0.5:26379, 10.0.0.6:26379', REDIS_SENTINEL_NAME: 'payments' })).toBe(
      'redis+sentinel://10.0.0.5:26379,10.0.0.6:26379/payments',
    );
    expect(read({ REDIS_SENTINELS: '10.0.0.5:26379' })).toBe('redis+sentinel://10.0.0.5:26379/payflow');
  });

  it('refuses two addresses, and a name without Sentinels, in one line each', () => {
    expect(() => read({ REDIS_URL: 'redis://10.0.0.5:6379', REDIS_SENTINELS: '10.0.0.6:26379' })).toThrow('REDIS_URL and REDIS_SENTINELS are both set');
    expect(() => read({ REDIS_URL: 'redis://10.0.0.5:6379', REDIS_SENTINEL_NAME: 'payments' })).toThrow('REDIS_SENTINEL_NAME is set without REDIS_SENTINELS');
  });

  it('names the variable whose value it cannot read', () => {
    expect(() => read({ REDIS_SENTINELS: '10.0.0.5' })).toThrow('REDIS_SENTINELS: each Sentinel must be host:port');
    expect(() => read({ REDIS_URL: 'localhost' })).toThrow('REDIS_URL: "localhost" is not a URL');
  });
});

describe('redisConnectionOptions', () => {
  it('connects to one node by its URL', () => {
    expect(redisConnectionOptions('redis://127.0.0.1:6379')).toEqual({ url: 'redis://127.0.0.1:6379', options: {} });
  });

  it('asks the Sentinels for the primary, and follows a failover', () => {
    const { url, options } = redisConnectionOptions('redis+sentinel://127.0.0.1:26379,127.0.0.1:26380/payflow');
    expect(url).toBeUndefined();
    expect(options).toMatchObject({ name: 'payflow', failoverDetector: true, sentinels: [{ port: 26379 }, { port: 26380 }] });
    const reconnect = options.reconnectOnError as (err: Error) => unknown;
    expect(reconnect(new Error("READONLY You can't write against a read only replica."))).toBe(2);
    expect(reconnect(new Error('NOSCRIPT No matching script'))).toBe(false);
  });
});
