import { describe, expect, it } from 'vitest';
import { kafkaNodePorts, pairedNodePorts } from '../local-infra.js';
import { serverProperties } from './server-properties.js';

const parse = (text: string) =>
  Object.fromEntries(
    text
      .trim()
      .split('\n')
      .map((line) => line.split(/=(.*)/s).slice(0, 2) as [string, string]),
  );

describe('the server.properties of a local Kafka node', () => {
  it('on a single node, sets everything that defaults to three replicas to one', () => {
    const properties = parse(serverProperties({ nodeId: 1, nodes: [{ port: 9092, controllerPort: 9093 }], dataDir: '/d' }));
    expect(properties).toMatchObject({
      'node.id': '1',
      'controller.quorum.voters': '1@127.0.0.1:9093',
      listeners: 'PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093',
      'offsets.topic.replication.factor': '1',
      'transaction.state.log.replication.factor': '1',
      'transaction.state.log.min.isr': '1',
      'default.replication.factor': '1',
      'min.insync.replicas': '1',
    });
  });

  it('in a cluster of three, makes every node a voter of one quorum with three replicas and two in sync', () => {
    const nodes = kafkaNodePorts(3, 9092, 9093);
    expect(nodes).toEqual([
      { port: 9092, controllerPort: 9093 },
      { port: 9094, controllerPort: 9095 },
      { port: 9096, controllerPort: 9097 },
    ]);
    const second = parse(serverProperties({ nodeId: 2, nodes, dataDir: '/d2' }));
    expect(second).toMatchObject({
      'node.id': '2',
      'controller.quorum.voters': '1@127.0.0.1:9093,2@127.0.0.1:9095,3@127.0.0.1:9097',
      listeners: 'PLAINTEXT://127.0.0.1:9094,CONTROLLER://127.0.0.1:9095',
      'advertised.listeners': 'PLAINTEXT://127.0.0.1:9094',
      'log.dirs': '/d2',
      'offsets.topic.replication.factor': '3',
      'transaction.state.log.replication.factor': '3',
      'transaction.state.log.min.isr': '2',
      'default.replication.factor': '3',
      'min.insync.replicas': '2',
    });
  });

  it('with a SASL port, adds a SASL_PLAINTEXT listener taking PLAIN logins, the nodes still talking plaintext', () => {
    const properties = parse(
      serverProperties({
        nodeId: 1,
        nodes: [{ port: 9092, controllerPort: 9093, saslPort: 9094 }],
        dataDir: '/d',
        saslUsers: { payflow: 'pw-1', admin: 'pw-2' },
      }),
    );
    expect(properties).toMatchObject({
      listeners: 'PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093,SASL_PLAINTEXT://127.0.0.1:9094',
      'advertised.listeners': 'PLAINTEXT://127.0.0.1:9092,SASL_PLAINTEXT://127.0.0.1:9094',
      'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT',
      'inter.broker.listener.name': 'PLAINTEXT',
      'sasl.enabled.mechanisms': 'PLAIN',
      'listener.name.sasl_plaintext.plain.sasl.jaas.config':
        'org.apache.kafka.common.security.plain.PlainLoginModule required user_payflow="pw-1" user_admin="pw-2";',
    });
  });

  it('refuses a SASL password that the JAAS config would have to escape', () => {
    expect(() => serverProperties({ nodeId: 1, nodes: [{ port: 1, controllerPort: 2, saslPort: 3 }], dataDir: '/d', saslUsers: { u: 'a"b' } })).toThrow(
      /got "a\\"b"/,
    );
  });

  it('refuses a node that is not one of the cluster', () => {
    expect(() => serverProperties({ nodeId: 4, nodes: kafkaNodePorts(3, 9092), dataDir: '/d' })).toThrow(/node 4 is not one of the 3 nodes/);
  });

  it('pairs free ports into client and controller ports, node by node', () => {
    expect(pairedNodePorts([41000, 41001, 42000, 42001])).toEqual([
      { port: 41000, controllerPort: 41001 },
      { port: 42000, controllerPort: 42001 },
    ]);
  });
});
