import { describe, expect, it } from 'vitest';
import { loadConfig as loadBffConfig } from '../server/config.js';
import { ONE_OF_EACH, payflowProcesses, portsFor, processEnv, sharedEnv, type BasePorts } from './processes.js';

const BASE: BasePorts = { bff: 3000, billingGates: 4001, udi: 4002, saasApp: 4003, billingWorker: 9101, orderWorker: 9102 };

describe('the processes npm start runs', () => {
  it('by default, one of each on the ports of the public contract, no load balancer', () => {
    const specs = payflowProcesses(portsFor(BASE, ONE_OF_EACH));
    expect(specs.map((spec) => `${spec.name}:${spec.port}`)).toEqual([
      'billing-gates:4001',
      'udi:4002',
      'saas-app:4003',
      'billing-worker:9101',
      'order-worker:9102',
      'bff:3000',
    ]);
    expect(specs.find((spec) => spec.role === 'bff')?.env['SHUTDOWN_DRAIN_MS']).toBeUndefined();
  });

  it('with 3 BFF replicas and 3 workers each, replicas on 3001-3003 that drain, workers 10 ports apart', () => {
    const ports = portsFor(BASE, { bffReplicas: 3, billingWorkers: 3, orderWorkers: 2 });
    expect(ports.bff).toBe(3000); // the load balancer
    const specs = payflowProcesses(ports);
    const named = (role: string) => specs.filter((spec) => spec.role === role).map((spec) => `${spec.name}:${spec.port}`);
    expect(named('bff')).toEqual(['bff-1:3001', 'bff-2:3002', 'bff-3:3003']);
    expect(named('billing-worker')).toEqual(['billing-worker-1:9101', 'billing-worker-2:9111', 'billing-worker-3:9121']);
    expect(named('order-worker')).toEqual(['order-worker-1:9102', 'order-worker-2:9112']);
    expect(specs.filter((spec) => spec.role === 'bff').every((spec) => Number(spec.env['SHUTDOWN_DRAIN_MS']) > 0)).toBe(true);
    expect(new Set(specs.map((spec) => spec.port)).size).toBe(specs.length);
  });

  it("hands every process Redis' address as REDIS_URL alone, whatever REDIS_SENTINELS the launcher was given", () => {
    const redisUrl = 'redis+sentinel://127.0.0.1:26379,127.0.0.1:26380,127.0.0.1:26381/payflow';
    const shared = sharedEnv({ kafkaBrokers: ['127.0.0.1:9092'], redisUrl, topicPrefix: '', topicPartitions: 6, logLevel: 'info' });
    const bff = payflowProcesses(portsFor(BASE, ONE_OF_EACH)).find((spec) => spec.role === 'bff')!;
    const launcherEnv = { REDIS_SENTINELS: '10.0.0.5:26379', REDIS_SENTINEL_NAME: 'elsewhere' };
    expect(loadBffConfig(processEnv(bff, shared, launcherEnv)).REDIS_URL).toBe(redisUrl);
  });
});
