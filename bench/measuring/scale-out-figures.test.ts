import { describe, expect, it } from 'vitest';
import type { ShopperResult } from '../drivers/shopper.js';
import type { CpuPerPayment, ProcessCpu } from './process-cpu.js';
import { extraPerReplica, metricTotal, pushDelivery, replicaCounters, scaleOutCpu, spreadBetween } from './scale-out-figures.js';

const process = (name: string, cpuMs: number | null, group: ProcessCpu['group'] = 'pipeline'): ProcessCpu => ({
  name,
  group,
  cpuMs,
  msPerPayment: cpuMs === null ? null : cpuMs / 1_000,
});
const cpuOf = (processes: ProcessCpu[], pipeline: number | null = 1, signedIn = 1_000): CpuPerPayment => ({
  signedIn,
  processes,
  totals: { server: null, flowServer: null, pipeline, generator: null },
});

describe('CPU per payment by part, with BFF replicas', () => {
  const threeReplicas = [
    process('bff-1', 2_100),
    process('bff-2', 1_900),
    process('bff-3', 2_000),
    process('load-balancer', 300),
    process('billing-worker', 1_500),
    process('order-worker', 1_800),
    process('kafka', 2_600),
    process('redis', 1_250),
    process('udi', 1_200, 'stand-in'),
    process('load generator', 2_700, 'generator'),
  ];

  it('sums the replicas, shares the sum out over them, and keeps each one’s figure', () => {
    const cpu = scaleOutCpu(cpuOf(threeReplicas, 13.45));
    expect(cpu.replicas).toEqual([
      { name: 'bff-1', msPerPayment: 2.1 },
      { name: 'bff-2', msPerPayment: 1.9 },
      { name: 'bff-3', msPerPayment: 2 },
    ]);
    expect(cpu).toMatchObject({ bff: 6, bffPerReplica: 2, loadBalancer: 0.3, redis: 1.25, kafka: 2.6, workers: 3.3, pipeline: 13.45 });
  });

  it('with one BFF, has no load balancer figure at all rather than a missing one', () => {
    const cpu = scaleOutCpu(cpuOf([process('bff', 5_000), process('redis', 700), process('kafka', 2_600)]));
    expect(cpu.replicas).toEqual([{ name: 'bff', msPerPayment: 5 }]);
    expect(cpu.bff).toBe(5);
    expect(cpu.bffPerReplica).toBe(5);
    expect('loadBalancer' in cpu).toBe(false);
  });

  it('when a replica has no figure (it restarted during the run), gives the BFF no sum rather than a short one', () => {
    const cpu = scaleOutCpu(cpuOf(threeReplicas.map((p) => (p.name === 'bff-2' ? process('bff-2', null) : p))));
    expect(cpu.bff).toBeNull();
    expect(cpu.bffPerReplica).toBeNull();
    expect(cpu.replicas[1]).toEqual({ name: 'bff-2', msPerPayment: null });
    expect(cpu.redis).toBe(1.25);
  });

  it("with a replicated Redis, sums every node's and every Sentinel's CPU as Redis'", () => {
    const set = [
      process('redis-1', 900),
      process('redis-2', 200),
      process('redis-3', 200),
      process('sentinel-1', 20),
      process('sentinel-2', 20),
      process('sentinel-3', 20),
    ];
    expect(scaleOutCpu(cpuOf([process('bff', 5_000), ...set])).redis).toBe(1.36);
  });

  it('when no payment was signed in, gives no per-payment figure', () => {
    const cpu = scaleOutCpu(cpuOf(threeReplicas, null, 0));
    expect(cpu).toMatchObject({ bff: null, loadBalancer: null, redis: null, kafka: null, workers: null, pipeline: null });
  });

  it('adds up a cluster’s Kafka nodes and several instances of each worker', () => {
    const cpu = scaleOutCpu(
      cpuOf([process('bff', 1_000), process('kafka-1', 1_000), process('kafka-2', 500), process('billing-worker-1', 400), process('billing-worker-2', 600)]),
    );
    expect(cpu.kafka).toBe(1.5);
    expect(cpu.workers).toBe(1);
  });
});

describe('pushes that did not arrive', () => {
  const result = (extra: Partial<ShopperResult>): ShopperResult => ({ arrivalMs: 0, outcome: 'signed-in', ...extra });

  it('counts an accepted payment whose final status came only after a reconnect, or never, as not arrived; one final on joining apart', () => {
    const results = [
      result({ paymentId: 'a', statusVia: 'push' }),
      result({ paymentId: 'b', statusVia: 'push' }),
      result({ paymentId: 'c', statusVia: 'join' }),
      result({ paymentId: 'd', statusVia: 'reconnect' }),
      result({ paymentId: 'e', outcome: 'timeout', error: 'timeout' }),
      // Refused at the POST: no payment, so no push was owed.
      result({ outcome: 'error', error: 'http_503' }),
    ];
    expect(pushDelivery(results)).toEqual({ accepted: 5, pushed: 2, onJoin: 1, afterReconnect: 1, never: 1, notArrived: 2 });
  });

  it('counts a failed payment whose status was pushed as arrived', () => {
    expect(pushDelivery([result({ paymentId: 'a', outcome: 'error', error: 'failed', statusVia: 'push' })]).notArrived).toBe(0);
  });
});

describe('each replica’s share, from its /metrics', () => {
  const METRICS = [
    '# HELP payflow_payments_accepted_total Payments answered 202 (PaymentInitiated in Kafka).',
    '# TYPE payflow_payments_accepted_total counter',
    'payflow_payments_accepted_total 1200',
    'payflow_payments_accepted_total_extra 5',
    'payflow_socket_pushes_total{kind="join"} 1190',
    'payflow_socket_pushes_total{kind="change"} 2400',
    'payflow_socket_pushes_total{kind="again"} 3',
  ].join('\n');

  it('sums a metric’s samples, over the label sets asked for', () => {
    expect(metricTotal(METRICS, 'payflow_payments_accepted_total')).toBe(1200);
    expect(metricTotal(METRICS, 'payflow_socket_pushes_total')).toBe(3593);
    expect(metricTotal(METRICS, 'payflow_socket_pushes_total', { kind: 'change' })).toBe(2400);
    expect(metricTotal(METRICS, 'payflow_missing_total')).toBe(0);
  });

  it('reads what a replica accepted, the sockets that joined it and the changes it pushed, between two readings', () => {
    const before = new Map([['bff-1', { accepted: 200, sockets: 190, changes: 400 }]]);
    const after = new Map([
      ['bff-1', replicaCounters(METRICS)],
      ['bff-2', { accepted: 10, sockets: 10, changes: 20 }],
    ]);
    expect(spreadBetween(before, after)).toEqual([{ name: 'bff-1', accepted: 1000, sockets: 1000, changes: 2000 }]);
  });
});

describe('what each replica added costs', () => {
  it('divides the pipeline’s CPU per payment over the fewest replicas’ by the replicas added', () => {
    const runs = [
      { replicas: 1, cpu: { pipeline: 11.7 } },
      { replicas: 2, cpu: { pipeline: 13.2 } },
      { replicas: 3, cpu: { pipeline: 14.1 } },
    ];
    expect(extraPerReplica(runs)).toEqual([null, 1.5, 1.2]);
  });

  it('gives no figure where a run has none', () => {
    expect(
      extraPerReplica([
        { replicas: 2, cpu: { pipeline: null } },
        { replicas: 3, cpu: { pipeline: 14 } },
      ]),
    ).toEqual([null, null]);
  });
});
