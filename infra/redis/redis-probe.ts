import { Redis } from 'ioredis';
import { isPortOpen } from '../port-open.js';

/** True when a Redis server at `url` answers PING. One attempt, no reconnects. */
export async function redisAnswers(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  if (!(await isPortOpen(hostname, Number(port || 6379)))) return false;
  const redis = new Redis(url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0, connectTimeout: 1_000 });
  redis.on('error', () => {}); // "not yet" is expected here; ioredis would print it as unhandled
  try {
    await redis.connect();
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}
