/**
 * QA runs the browser flows against systems it did not start (staging, a compose stack, a preview)
 * with `PAYFLOW_BFF_URL=… npm run test:e2e -- --grep-invert @stand-ins`. This runs exactly that
 * against a system started separately by `npm start` on ports of its own, as if its Billing Gates
 * and Udi were the real ones (PAYFLOW_STAND_INS=none, their URLs not given), and reads from the
 * stand-ins' own metrics that no flow touched their test hooks. Its Redis is the replicated one
 * production runs (`REDIS_NODES=3`: a primary, two replicas, three Sentinels), started by npm start.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freePortRun, freePorts } from '../../infra/free-port.js';
import { spawnGuarded, type GuardedChild } from '../../infra/spawn-guarded.js';
import { REPO_ROOT } from '../../scripts/start-config.js';
import { metricSum } from '../support/metrics.js';
import { until } from '../support/until.js';

interface Command extends GuardedChild {
  /** Its stdout and stderr so far. */
  output: () => string;
}

/** Every command started, so a test that times out leaves none of them behind. */
const commands: Command[] = [];

/** A command in the repo, as a person runs it, in a process group that dies with this one; its output kept. */
function run(command: string, args: string[], env: NodeJS.ProcessEnv): Command {
  const guarded = spawnGuarded(command, args, { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  guarded.child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  guarded.child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const started = { ...guarded, output: () => output };
  commands.push(started);
  return started;
}

/** This process' environment without what vitest adds, which a person's shell would not have. */
function shellEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of Object.keys(env)) if (name === 'NODE_ENV' || name.startsWith('VITEST') || name.startsWith('PAYFLOW_')) delete env[name];
  return { ...env, ...extra };
}

/** Calls to one stand-in's test hooks, from its own payflow_stand_in_hook_requests_total. */
async function hookCalls(url: string): Promise<{ control: number; ledger: number }> {
  const calls = (hook: string) => metricSum(url, 'payflow_stand_in_hook_requests_total', { hook });
  return { control: await calls('control'), ledger: await calls('ledger') };
}

let npmStart: Command | undefined;
let stateDir: string;
let reportDir: string;
let urls: { bff: string; billingGates: string; udi: string; saasApp: string };

beforeAll(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'payflow-qa-'));
  reportDir = join(stateDir, 'report');
  const [port, billingGates, udi, saasApp, billingWorker, orderWorker] = (await freePorts(6)) as [number, number, number, number, number, number];
  // npm start puts the Redis nodes on REDIS_PORT and the next two, the Sentinels on REDIS_SENTINEL_PORT and the next two.
  const redisPort = await freePortRun(3);
  const sentinelPort = await freePortRun(3);
  const local = (p: number) => `http://127.0.0.1:${p}`;
  urls = { bff: local(port), billingGates: local(billingGates), udi: local(udi), saasApp: local(saasApp) };
  // The integration tier's Kafka, as a deployment's own; everything else is npm start's.
  npmStart = run(
    'npm',
    ['start'],
    shellEnv({
      KAFKA_BROKERS: inject('kafkaBrokers').join(','),
      REDIS_NODES: '3',
      REDIS_PORT: String(redisPort),
      REDIS_SENTINEL_PORT: String(sentinelPort),
      KAFKA_TOPIC_PREFIX: `qa-${randomUUID().slice(0, 8)}.`,
      TOPIC_PARTITIONS: '3',
      PAYFLOW_STATE_DIR: stateDir,
      PORT: String(port),
      BILLING_GATES_PORT: String(billingGates),
      UDI_PORT: String(udi),
      SAAS_APP_PORT: String(saasApp),
      BILLING_WORKER_PORT: String(billingWorker),
      ORDER_WORKER_PORT: String(orderWorker),
    }),
  );
  const started = npmStart;
  const exitedEarly = started.exited.then(({ code, signal }) => {
    throw new Error(`npm start exited (${code ?? signal}) before payflow was running:\n${started.output()}`);
  });
  await Promise.race([until(() => started.output().includes('payflow is running'), 150_000, 500), exitedEarly]);
  expect(started.output()).toContain('the Redis set is ready');
}, 180_000);

afterAll(async () => {
  await npmStart?.stop(30_000); // SIGTERM, as an orchestrator stops it; SIGKILL after 30 s
  await Promise.all(commands.map((command) => command.kill()));
  await rm(stateDir, { recursive: true, force: true });
}, 60_000);

describe('the browser flows against a system someone else runs', () => {
  it('npm run test:e2e -- --grep-invert @stand-ins passes against npm start on other ports and a replicated Redis (REDIS_NODES=3), writes its HTML report, and never calls /__control or /__ledger', async () => {
    const env = shellEnv({ PAYFLOW_BFF_URL: urls.bff, PAYFLOW_SAAS_APP_URL: urls.saasApp, PAYFLOW_STAND_INS: 'none', PLAYWRIGHT_HTML_OUTPUT_DIR: reportDir });
    const e2e = run('npm', ['run', 'test:e2e', '--', '--grep-invert', '@stand-ins', `--output=${join(stateDir, 'results')}`], env);
    const { code } = await e2e.exited;
    const output = e2e.output();
    expect(code, output).toBe(0);
    expect(output).toContain(`testing the system at ${urls.bff}`);
    const listed = Number(/^Running (\d+) tests? using/m.exec(output)?.[1]);
    // Most flows make sense against any deployment; only outages, latency and refusals do not.
    expect(listed).toBeGreaterThanOrEqual(15);
    expect(output, output).toMatch(new RegExp(`^\\s*${listed} passed \\(`, 'm'));
    expect(output).not.toMatch(/\d+ (failed|flaky|skipped|did not run)/);
    expect(existsSync(join(reportDir, 'index.html'))).toBe(true);

    const standIns = [urls.billingGates, urls.udi, urls.saasApp];
    expect(await Promise.all(standIns.map(hookCalls))).toEqual([0, 0, 0].map(() => ({ control: 0, ledger: 0 })));
    // The counters of this very system do count.
    await Promise.all(standIns.flatMap((url) => [fetch(`${url}/__control`), fetch(`${url}/__ledger`)]));
    expect(await Promise.all(standIns.map(hookCalls))).toEqual([0, 0, 0].map(() => ({ control: 1, ledger: 1 })));
  }, 420_000);
});
