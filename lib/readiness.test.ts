import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { checkReadiness, registerReadinessMetrics, type ReadinessChecks } from './readiness.js';

const up = () => Promise.resolve();
const down = () => Promise.reject(new Error('ECONNREFUSED'));

async function scrape(checks: ReadinessChecks): Promise<string> {
  const registry = new Registry();
  registerReadinessMetrics(registry, checks);
  return registry.metrics();
}

describe('readiness', () => {
  it('names the checks that fail', async () => {
    expect(await checkReadiness({ dependencies: { redis: down, kafka: up }, conditions: { accepting: up } })).toEqual({ failing: ['redis'] });
  });

  it('when every check passes, the scrape says ready and every dependency up', async () => {
    const text = await scrape({ dependencies: { redis: up, kafka: up }, conditions: { accepting: up } });
    expect(text).toContain('\npayflow_ready 1\n');
    expect(text).toContain('payflow_dependency_up{dependency="redis"} 1');
    expect(text).toContain('payflow_dependency_up{dependency="kafka"} 1');
  });

  it('when Redis does not answer, the scrape says not ready and Redis down, Kafka still up', async () => {
    const text = await scrape({ dependencies: { redis: down, kafka: up } });
    expect(text).toContain('\npayflow_ready 0\n');
    expect(text).toContain('payflow_dependency_up{dependency="redis"} 0');
    expect(text).toContain('payflow_dependency_up{dependency="kafka"} 1');
  });

  it('while draining, the replica is not ready though its dependencies are up', async () => {
    const text = await scrape({ dependencies: { kafka: up }, conditions: { accepting: () => Promise.reject(new Error('draining')) } });
    expect(text).toContain('\npayflow_ready 0\n');
    expect(text).toContain('payflow_dependency_up{dependency="kafka"} 1');
    expect(text).not.toContain('dependency="accepting"');
  });

  it('one scrape runs each check once for both gauges', async () => {
    let calls = 0;
    await scrape({
      dependencies: {
        kafka: () => {
          calls += 1;
          return Promise.resolve();
        },
      },
    });
    expect(calls).toBe(1);
  });
});
