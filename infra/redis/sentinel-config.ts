export interface SentinelSettings {
  port: number;
  /** Its working dir, where it rewrites the configuration it was started with. */
  dir: string;
  /** The name clients ask the Sentinels for (`redis+sentinel://…/name`). */
  name: string;
  /** The port on 127.0.0.1 of the node to monitor as the primary. */
  primaryPort: number;
  /** How many Sentinels must agree that the primary is down before one fails it over. */
  quorum: number;
  /** How long the primary may not answer before this Sentinel thinks it down, ms. */
  downAfterMs: number;
  /** Sentinel's failover-timeout, ms: a failover that stalls is retried after twice this. */
  failoverTimeoutMs: number;
}

/**
 * A Sentinel's configuration file. Sentinel rewrites it as it learns (its id, the replicas and the
 * other Sentinels it found, the primary after a failover), so each Sentinel needs a file of its
 * own that it may write.
 */
export function sentinelConfig({ port, dir, name, primaryPort, quorum, downAfterMs, failoverTimeoutMs }: SentinelSettings): string {
  return [
    `port ${port}`,
    'bind 127.0.0.1',
    'daemonize no',
    `dir "${dir}"`,
    `sentinel monitor ${name} 127.0.0.1 ${primaryPort} ${quorum}`,
    `sentinel down-after-milliseconds ${name} ${downAfterMs}`,
    `sentinel failover-timeout ${name} ${failoverTimeoutMs}`,
    // One replica at a time resyncs with a new primary; the others keep serving meanwhile.
    `sentinel parallel-syncs ${name} 1`,
    '',
  ].join('\n');
}

/**
 * The primary a Sentinel's (rewritten) configuration file names for `name`, and the config epoch it
 * was named in: after a failover it is no longer the node the set was first started with, and the
 * higher epoch is the later failover. Undefined when the file monitors no such primary.
 */
export function monitoredPrimary(configText: string, name: string): { port: number; configEpoch: number } | undefined {
  let port: number | undefined;
  let configEpoch = 0;
  for (const line of configText.split('\n')) {
    const [directive, verb, monitored, ...rest] = line.trim().split(/\s+/);
    if (directive !== 'sentinel' || monitored !== name) continue;
    if (verb === 'monitor' && /^\d+$/.test(rest[1] ?? '')) port = Number(rest[1]);
    if (verb === 'config-epoch' && /^\d+$/.test(rest[0] ?? '')) configEpoch = Number(rest[0]);
  }
  return port === undefined ? undefined : { port, configEpoch };
}

/**
 * The primary the Sentinels named last, by their (rewritten) files: the one named with the highest
 * config epoch (a Sentinel that was down through a failover still names the old one). Undefined
 * when no file names a primary for `name`.
 */
export function lastNamedPrimaryPort(configTexts: string[], name: string): number | undefined {
  const named = configTexts.flatMap((text) => monitoredPrimary(text, name) ?? []);
  return named.sort((a, b) => b.configEpoch - a.configEpoch).at(0)?.port;
}
