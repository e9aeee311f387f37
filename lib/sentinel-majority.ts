import { Redis, SentinelConnector, type SentinelConnectionOptions } from 'ioredis';

type Address = { host: string; port: number } | null;

type SentinelOptions = Pick<SentinelConnectionOptions, 'sentinels' | 'name' | 'sentinelPassword' | 'connectTimeout' | 'sentinelCommandTimeout'>;

/** What one Sentinel says of the primary it monitors under the set's name: its host:port and its flags (null: no answer). */
interface SentinelView {
  address: string;
  /** Sentinel's flags for it: "master" alone while it is well; s_down, o_down, failover_in_progress… otherwise. */
  flags: string[];
}

/** `SENTINEL MASTER <name>` asked of one Sentinel on a connection of its own, read as a SentinelView. */
async function viewOf(sentinel: { host?: string | undefined; port?: number | undefined }, options: SentinelOptions): Promise<SentinelView | null> {
  const client = new Redis({
    host: sentinel.host ?? '127.0.0.1',
    port: sentinel.port ?? 26379,
    ...(options.sentinelPassword === undefined ? {} : { password: options.sentinelPassword }),
    lazyConnect: true,
    enableReadyCheck: false,
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
    connectTimeout: options.connectTimeout ?? 2_000,
    commandTimeout: options.sentinelCommandTimeout ?? 1_000,
  });
  client.on('error', () => undefined);
  try {
    const answer = await client.call('SENTINEL', 'MASTER', options.name ?? '');
    if (!Array.isArray(answer)) return null;
    const fields = new Map<string, string>();
    for (let i = 0; i + 1 < answer.length; i += 2) fields.set(String(answer[i]), String(answer[i + 1]));
    const [ip, port, flags] = [fields.get('ip'), fields.get('port'), fields.get('flags')];
    return ip === undefined || port === undefined ? null : { address: `${ip}:${port}`, flags: (flags ?? '').split(',') };
  } catch {
    return null;
  } finally {
    client.disconnect();
  }
}

/** Every configured Sentinel's view, asked side by side (null for one that does not answer). */
function viewsOf(options: SentinelOptions): Promise<Array<SentinelView | null>> {
  return Promise.all((options.sentinels ?? []).map((sentinel) => viewOf(sentinel, options)));
}

const isMajorityOf = (count: number, options: SentinelOptions) => count * 2 > (options.sentinels ?? []).length;

/**
 * True when more than half of the Sentinels configured name `address` as the primary. One
 * Sentinel's word is not enough: during a failover the Sentinels learn of the promotion one after
 * another, and a connection made on the word of one that has not yet would serve from the old
 * primary. Frozen, that primary accepts the connection all the same (its kernel does), and once it
 * resumes it takes writes, as a primary still, for the seconds until the Sentinels make it a
 * replica; every one of them is then dropped.
 */
export async function majorityNames(address: string, options: SentinelOptions): Promise<boolean> {
  const views = await viewsOf(options);
  return isMajorityOf(views.filter((view) => view?.address === address).length, options);
}

/**
 * True when the Sentinels vouch for `address` as the primary: more than half of them name it and
 * see it well (no down flag), and none that answers is failing the primary over. During a failover
 * only the Sentinel leading it knows; the others see the old primary well again once it answers.
 */
export async function sentinelsVouchFor(address: string, options: SentinelOptions): Promise<boolean> {
  const views = (await viewsOf(options)).filter((view) => view !== null);
  const well = views.filter((view) => view.address === address && view.flags.every((flag) => flag === 'master'));
  return isMajorityOf(well.length, options) && views.every((view) => !view.flags.includes('failover_in_progress'));
}

/**
 * ioredis' Sentinel connector, resolving the primary only when a majority of the Sentinels name
 * it (majorityNames). Another answer makes ioredis ask the next Sentinel, then start over after
 * its sentinelRetryStrategy's pause, as it does when no Sentinel answers: a failover in progress
 * holds new connections for the second or two the Sentinels take to agree.
 *
 * ioredis keeps the resolving in a private method (ioredis 5 and 6), so this wraps it on the
 * instance; test/integration/local-redis-set.int.test.ts fails if a release renames it.
 */
export class MajorityConnector extends SentinelConnector {
  constructor(given: unknown) {
    const options = given as SentinelConnectionOptions;
    super(options);
    const self = this as unknown as { resolveMaster?: (client: Redis) => Promise<Address> };
    const resolveMaster = self.resolveMaster?.bind(this);
    if (resolveMaster === undefined)
      throw new Error('ioredis has no SentinelConnector.resolveMaster to wrap: check lib/sentinel-majority.ts against this ioredis release');
    self.resolveMaster = async (client) => {
      const named = await resolveMaster(client);
      if (named === null) return null;
      return (await majorityNames(`${named.host}:${named.port}`, options)) ? named : null;
    };
  }
}
