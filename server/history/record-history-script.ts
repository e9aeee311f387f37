import type { ChainableCommander, Redis } from 'ioredis';

/**
 * Records what one batch holds for one payment, atomically:
 * - its new entries, each once (an entry id already in the seen set is a redelivery), the list
 *   capped at the most entries kept: the first entry (normally the acceptance, with the email)
 *   stays, the oldest after it go;
 * - on acceptance, the payment in the unfinished set (unless its terminal status was recorded
 *   first, on another replica) and in its email's recent payments (capped);
 * - on a terminal status, the payment out of the unfinished set, for good.
 * Every key it writes gets the history's TTL again.
 *
 * KEYS: entries, seen, unfinished[, email]
 * ARGV: paymentId, ttl s, entries kept, payments kept per email, accepted at (ms, or ''),
 *       finished ('1' or ''), then entry id / entry JSON pairs.
 */
const LUA = `
local entries, seen, unfinished, email = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local paymentId, ttl, cap, perEmail, acceptedAt, finished = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), ARGV[5], ARGV[6]
for i = 7, #ARGV, 2 do
  if redis.call('SADD', seen, ARGV[i]) == 1 then redis.call('RPUSH', entries, ARGV[i + 1]) end
end
if redis.call('LLEN', entries) > cap then
  local first = redis.call('LINDEX', entries, 0)
  redis.call('LTRIM', entries, 1 - cap, -1)
  redis.call('LPUSH', entries, first)
end
if finished == '1' then
  redis.call('SADD', seen, '#finished')
  redis.call('ZREM', unfinished, paymentId)
end
if acceptedAt ~= '' then
  if redis.call('SISMEMBER', seen, '#finished') == 0 then redis.call('ZADD', unfinished, 'NX', acceptedAt, paymentId) end
  if email then
    redis.call('ZADD', email, 'NX', acceptedAt, paymentId)
    redis.call('ZREMRANGEBYRANK', email, 0, -(perEmail + 1))
    redis.call('EXPIRE', email, ttl)
  end
end
redis.call('EXPIRE', entries, ttl)
redis.call('EXPIRE', seen, ttl)
return 1
`;

const NAME = 'payflowRecordHistory';

type WithScript = ChainableCommander & Record<typeof NAME, (numberOfKeys: number, ...keysAndArgs: Array<string | number>) => ChainableCommander>;

/**
 * Makes the script a command of `redis` (ioredis sends it whole the first time on a connection,
 * by its SHA-1 after that, also inside a MULTI), once per client.
 */
export function defineRecordHistory(redis: Redis): void {
  if (!(NAME in redis)) redis.defineCommand(NAME, { lua: LUA });
}

/** Queues the script in a MULTI. */
export function queueRecordHistory(multi: ChainableCommander, keys: string[], args: Array<string | number>): void {
  (multi as WithScript)[NAME](keys.length, ...keys, ...args);
}
