import { describe, expect, it } from 'vitest';
import type { Deployment } from '../drivers/deployment.js';
import type { BenchResults } from '../results.js';
import { cpuTables } from './markdown-cpu.js';
import { deploymentLines } from './markdown-deployment.js';

const processCpu = (name: string) => ({ name, group: 'pipeline', cpuMs: 900, msPerPayment: 4.5 });
const steady = {
  flow: 'async',
  offeredRate: 100,
  cpu: { processes: [processCpu('bff')], totals: { pipeline: 4.5, flowServer: 4.5, server: 4.5, generator: 2 } },
  kafkaRequests: [{ process: 'bff', byApi: { Fetch: 1 }, total: 1 }],
  redisCommands: null,
};
const withDeployment = (deployment: Deployment | undefined) =>
  ({ options: { rate: 100 }, steady: [steady], ...(deployment === undefined ? {} : { deployment }) }) as unknown as BenchResults;
const deployment: Deployment = { url: 'http://127.0.0.1:3000', udiUrl: null, metricsUrl: 'http://127.0.0.1:3000/metrics', pids: [] };

describe('the report on a deployment started elsewhere', () => {
  it('says first that the bench started nothing, where it drove shoppers, and that the machine carries the deployment', () => {
    const [first] = deploymentLines(withDeployment(deployment));
    expect(first).toMatch(/^\*\*Against a deployment started elsewhere\*\*, at http:\/\/127\.0\.0\.1:3000: the bench started nothing/);
    expect(first).toContain("The machine's other load is whatever that deployment runs");
  });

  it('says plainly what it could not measure: tokens unverified, no CPU, no counters of the workers and Redis', () => {
    const text = deploymentLines(withDeployment(deployment)).join('\n');
    expect(text).toContain('- Tokens: **not verified** (no `--against-udi`)');
    expect(text).toContain('- CPU per payment: none (no `--against-pids`).');
    expect(text).toContain('- Kafka requests of the workers and Redis commands: not counted');
    expect(deploymentLines(withDeployment({ ...deployment, metricsUrl: null })).join('\n')).toContain(
      '- BFF event-loop delay: none, http://127.0.0.1:3000/metrics did not answer.',
    );
  });

  it('names Udi and the processes measured when they were given', () => {
    const text = deploymentLines(withDeployment({ ...deployment, udiUrl: 'http://127.0.0.1:4002', pids: [{ name: 'bff', pid: 42 }] })).join('\n');
    expect(text).toContain('- Tokens: each exchanged with Udi at http://127.0.0.1:4002 once signed in (untimed).');
    expect(text).toContain('- CPU per payment: of bff (pid 42) only.');
  });

  it('has no CPU table without pids, and with them no Kafka table of the BFF alone', () => {
    expect(cpuTables(withDeployment(deployment))).toEqual([]);
    const tables = cpuTables(withDeployment({ ...deployment, pids: [{ name: 'bff', pid: 42 }] })).join('\n');
    expect(tables).toContain('| improved (Kafka) | bff | pipeline | 4.5 | 0.9 |');
    expect(tables).not.toContain('Kafka requests per signed-in payment');
  });

  it("is not there for a system of the bench's own, whose Kafka table stays", () => {
    expect(deploymentLines(withDeployment(undefined))).toEqual([]);
    expect(cpuTables(withDeployment(undefined)).join('\n')).toContain('Kafka requests per signed-in payment');
  });
});
