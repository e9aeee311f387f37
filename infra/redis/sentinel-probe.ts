import { askRedis } from './redis-probe.js';

/** What one Sentinel knows of the primary it monitors under a name. */
export interface SentinelView {
  /** The port of the node it names as the primary now. */
  primaryPort: number;
  /** The replicas it has found, by port; `up` when it reaches the replica and the replica its primary. */
  replicas: Array<{ port: number; up: boolean }>;
  /** The other Sentinels it has found through the primary's hello channel. */
  otherSentinels: number;
}

/** A Sentinel's flat [field, value, field, value …] reply as a map. */
function fieldsOf(reply: unknown): Map<string, string> {
  const fields = new Map<string, string>();
  if (!Array.isArray(reply)) return fields;
  for (let index = 0; index + 1 < reply.length; index += 2) fields.set(String(reply[index]), String(reply[index + 1]));
  return fields;
}

/** A Sentinel's view from its SENTINEL MASTER and SENTINEL REPLICAS replies; undefined when they name no primary. */
export function parseSentinelView(master: unknown, replicas: unknown): SentinelView | undefined {
  const primary = fieldsOf(master);
  const primaryPort = Number(primary.get('port'));
  if (!Number.isInteger(primaryPort) || primaryPort <= 0) return undefined;
  return {
    primaryPort,
    replicas: (Array.isArray(replicas) ? replicas : []).map((reply) => {
      const replica = fieldsOf(reply);
      const flags = (replica.get('flags') ?? '').split(',');
      const down = flags.some((flag) => flag === 's_down' || flag === 'o_down' || flag === 'disconnected');
      return { port: Number(replica.get('port')), up: !down && replica.get('master-link-status') === 'ok' };
    }),
    otherSentinels: Number(primary.get('num-other-sentinels') ?? 0),
  };
}

/** What the Sentinel at 127.0.0.1:`port` knows of the primary named `name`; undefined when it does not answer or monitors no such primary. */
export async function sentinelView(port: number, name: string): Promise<SentinelView | undefined> {
  return askRedis(`redis://127.0.0.1:${port}`, async (sentinel) => {
    const [master, replicas] = await Promise.all([sentinel.call('SENTINEL', 'MASTER', name), sentinel.call('SENTINEL', 'REPLICAS', name)]);
    return parseSentinelView(master, replicas);
  });
}
