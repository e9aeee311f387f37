/** Where one node of a local KRaft cluster listens. */
export interface KafkaNodePorts {
  /** The PLAINTEXT port clients use. */
  port: number;
  /** The KRaft controller port. */
  controllerPort: number;
  /** A SASL_PLAINTEXT listener (mechanism PLAIN) for clients that must authenticate; default none. */
  saslPort?: number;
}

export interface ServerPropertiesOptions {
  /** This node's id: 1 … nodes.length. */
  nodeId: number;
  /** Every node of the cluster, node 1 first: each one is broker and controller. */
  nodes: KafkaNodePorts[];
  dataDir: string;
  /** Who may log in on the nodes' SASL listeners, name → password; default nobody. */
  saslUsers?: Record<string, string>;
}

/** How many replicas a topic gets on a cluster of `nodes`: three where there are three, as production runs. */
export function replicationFactorFor(nodes: number): number {
  return Math.min(3, nodes);
}

/** How many replicas must hold a record before an acks=-1 producer is answered: two of three, one alone. */
export function minInsyncReplicasFor(nodes: number): number {
  return Math.min(2, nodes);
}

/**
 * One node of a KRaft cluster on 127.0.0.1: broker and controller in one process, every node a
 * voter of the one static quorum. The internal topics (consumer offsets, transaction state) and
 * the topics' default replication follow the cluster's size: three replicas with two in sync on
 * three nodes; on one node everything that defaults to three is set to one, or consumer groups
 * and transactions never become available.
 */
export function serverProperties({ nodeId, nodes, dataDir, saslUsers = {} }: ServerPropertiesOptions): string {
  const self = nodes[nodeId - 1];
  if (self === undefined) throw new Error(`node ${nodeId} is not one of the ${nodes.length} nodes`);
  const replication = replicationFactorFor(nodes.length);
  const minInsync = minInsyncReplicasFor(nodes.length);
  const sasl = self.saslPort === undefined ? undefined : `SASL_PLAINTEXT://127.0.0.1:${self.saslPort}`;
  const properties: Record<string, string | number> = {
    'process.roles': 'broker,controller',
    'node.id': nodeId,
    'controller.quorum.voters': nodes.map(({ controllerPort }, index) => `${index + 1}@127.0.0.1:${controllerPort}`).join(','),
    listeners: [`PLAINTEXT://127.0.0.1:${self.port}`, `CONTROLLER://127.0.0.1:${self.controllerPort}`, sasl].filter(Boolean).join(','),
    'advertised.listeners': [`PLAINTEXT://127.0.0.1:${self.port}`, sasl].filter(Boolean).join(','),
    'controller.listener.names': 'CONTROLLER',
    'listener.security.protocol.map': `PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT${sasl === undefined ? '' : ',SASL_PLAINTEXT:SASL_PLAINTEXT'}`,
    // The nodes talk to each other and to the quorum in plaintext; only clients may have to authenticate.
    'inter.broker.listener.name': 'PLAINTEXT',
    ...(sasl === undefined ? {} : plainSaslListener(saslUsers)),
    'log.dirs': dataDir,
    'offsets.topic.replication.factor': replication,
    'transaction.state.log.replication.factor': replication,
    'transaction.state.log.min.isr': minInsync,
    'default.replication.factor': replication,
    'min.insync.replicas': minInsync,
    // The default 3 s wait for more members before the first rebalance costs every test 3 s.
    'group.initial.rebalance.delay.ms': 0,
    // Topics are created explicitly (ensureTopics) so a typo fails instead of creating a topic.
    'auto.create.topics.enable': 'false',
    'num.partitions': 6,
    // 50 partitions each by default: on this machine that is only slower to create and load, which
    // the first consumer group and the first idempotent producer wait for.
    'offsets.topic.num.partitions': 6,
    'transaction.state.log.num.partitions': 6,
  };
  return (
    Object.entries(properties)
      .map(([key, value]) => `${key}=${value}`)
      .join('\n') + '\n'
  );
}

/**
 * PLAIN on the SASL_PLAINTEXT listener, its users in the listener's own JAAS config (no JAAS file,
 * no -Djava.security.auth.login.config). The JAAS syntax quotes each password, so names and
 * passwords are kept to characters that need no escaping there or in a properties file.
 */
function plainSaslListener(users: Record<string, string>): Record<string, string> {
  const entries = Object.entries(users);
  const unsafe = entries.flat().find((word) => !/^[\w.-]+$/.test(word));
  if (unsafe !== undefined)
    throw new Error(`SASL user names and passwords of a local Kafka are letters, digits, "_", "." and "-" (got ${JSON.stringify(unsafe)})`);
  const logins = entries.map(([name, password]) => ` user_${name}="${password}"`).join('');
  return {
    'sasl.enabled.mechanisms': 'PLAIN',
    'listener.name.sasl_plaintext.plain.sasl.jaas.config': `org.apache.kafka.common.security.plain.PlainLoginModule required${logins};`,
  };
}
