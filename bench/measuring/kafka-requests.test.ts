import { describe, expect, it } from 'vitest';
import { kafkaRequestsIn, kafkaRequestsPerPayment, parseKafkaRequests } from './kafka-requests.js';

const metrics = (fetches: number, commits: number) => `# HELP payflow_kafka_requests_total Requests sent to Kafka
# TYPE payflow_kafka_requests_total counter
payflow_kafka_requests_total{client="consumer",api="Fetch",role="bff"} ${fetches}
payflow_kafka_requests_total{client="consumer",api="OffsetCommit",role="bff"} ${commits}
payflow_kafka_requests_total{client="admin",api="OffsetFetch",role="bff"} 40
payflow_sockets_connected{role="bff"} 3
`;

describe('Kafka requests per payment', () => {
  it('reads the counter lines of a /metrics text and nothing else', () => {
    expect(parseKafkaRequests('bff', metrics(5, 2))).toEqual([
      { process: 'bff', client: 'consumer', api: 'Fetch', count: 5 },
      { process: 'bff', client: 'consumer', api: 'OffsetCommit', count: 2 },
      { process: 'bff', client: 'admin', api: 'OffsetFetch', count: 40 },
    ]);
  });

  it('divides what was sent in the window by the payments, leaving out the admin client', () => {
    const start = parseKafkaRequests('bff', metrics(5, 2));
    const end = [...parseKafkaRequests('bff', metrics(305, 52)), { process: 'order-worker', client: 'producer', api: 'Produce', count: 100 }];
    expect(kafkaRequestsPerPayment(start, end, 200)).toEqual([
      { process: 'bff', byApi: { Fetch: 1.5, OffsetCommit: 0.25 }, total: 1.75 },
      { process: 'order-worker', byApi: { Produce: 0.5 }, total: 0.5 },
    ]);
  });

  it("reads every process's text under its own name", () => {
    expect(kafkaRequestsIn({ bff: metrics(5, 2), 'order-worker': '' }).map((c) => `${c.process} ${c.api}`)).toEqual([
      'bff Fetch',
      'bff OffsetCommit',
      'bff OffsetFetch',
    ]);
  });

  it('gives nothing for a window without payments', () => {
    expect(kafkaRequestsPerPayment([], parseKafkaRequests('bff', metrics(5, 2)), 0)).toEqual([]);
  });
});
