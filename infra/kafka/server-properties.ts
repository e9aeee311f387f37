export interface ServerPropertiesOptions {
  port: number;
  controllerPort: number;
  dataDir: string;
}

/**
 * A single-node KRaft cluster: one process is both broker and controller, on 127.0.0.1 only.
 * Everything that defaults to three replicas is set to one, or consumer groups and
 * transactions never become available on a single node.
 */
export function serverProperties({ port, controllerPort, dataDir }: ServerPropertiesOptions): string {
  const properties: Record<string, string | number> = {
    'process.roles': 'broker,controller',
    'node.id': 1,
    'controller.quorum.voters': `1@127.0.0.1:${controllerPort}`,
    listeners: `PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
    'advertised.listeners': `PLAINTEXT://127.0.0.1:${port}`,
    'controller.listener.names': 'CONTROLLER',
    'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'inter.broker.listener.name': 'PLAINTEXT',
    'log.dirs': dataDir,
    'offsets.topic.replication.factor': 1,
    'transaction.state.log.replication.factor': 1,
    'transaction.state.log.min.isr': 1,
    'min.insync.replicas': 1,
    // The default 3 s wait for more members before the first rebalance costs every test 3 s.
    'group.initial.rebalance.delay.ms': 0,
    // Topics are created explicitly (ensureTopics) so a typo fails instead of creating a topic.
    'auto.create.topics.enable': 'false',
    'num.partitions': 6,
    // 50 partitions each by default: on one node that is only slower to create and load, which
    // the first consumer group and the first idempotent producer wait for.
    'offsets.topic.num.partitions': 6,
    'transaction.state.log.num.partitions': 6,
  };
  return Object.entries(properties).map(([key, value]) => `${key}=${value}`).join('\n') + '\n';
}
