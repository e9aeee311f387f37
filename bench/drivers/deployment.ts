/**
 * `--against URL`: a deployment someone else started (`npm start`), measured through its URL. The
 * bench starts nothing and switches nothing. Shoppers go to URL, each with an address of its own
 * (bench/drivers/client-address.ts); the BFF's event-loop delay and its Kafka requests come from
 * URL/metrics where it answers (behind a load balancer, from whichever replica answers each
 * scrape); CPU per payment from the pids given, if any. The workers' /metrics and Redis are on
 * the deployment's own ports, so their Kafka requests and the Redis commands are not counted.
 */
import { readFileSync } from 'node:fs';
import type { MeasuredProcess } from '../measuring/cpu-meter.js';
import { scrapeMetrics } from '../measuring/scrape-metrics.js';
import type { BenchOptions, NamedPid } from '../options.js';
import { shopperAddress } from './client-address.js';
import { DeploymentError } from './deployment-error.js';
import { STAND_INS, type LoadTarget } from './system.js';

/** What the report says of the deployment measured. */
export interface Deployment {
  url: string;
  /** Udi's URL, with which each token was exchanged; null when tokens were not verified. */
  udiUrl: string | null;
  /** The /metrics read around each run; null when URL/metrics did not answer. */
  metricsUrl: string | null;
  /** The processes whose CPU per payment was measured, as given. */
  pids: NamedPid[];
}

const TIMEOUT_MS = 5_000;

/** Checks that the deployment can be measured as asked, then gives what the scenarios drive and what the report says of it. */
export async function openDeployment(
  url: string,
  options: Pick<BenchOptions, 'againstUdi' | 'againstPids' | 'verifyToken'>,
): Promise<{ target: LoadTarget; deployment: Deployment }> {
  await expectOk(
    `${url}/readyz`,
    'DEPLOYMENT_NOT_READY',
    "the BFF (or its load balancer) must answer 200 there once it reaches Kafka and Redis: npm start prints 'payflow is running' then; check --against",
  );
  const udiUrl = options.verifyToken ? (options.againstUdi ?? null) : null;
  if (udiUrl !== null)
    await expectOk(
      `${udiUrl}/healthz`,
      'DEPLOYMENT_UDI_UNREACHABLE',
      "each token is exchanged with Udi there; check --against-udi (npm start's: http://127.0.0.1:4002), or pass --verify-token false",
    );
  for (const { name, pid } of options.againstPids) {
    if (!processExists(pid)) {
      throw new DeploymentError(
        'DEPLOYMENT_PID_MISSING',
        `--against-pids: ${name}=${pid}: no such process on this machine; give the pids of the deployment's processes here (bench/README.md: "Against a running deployment")`,
      );
    }
  }
  const metricsUrl = (await scrapeMetrics(`${url}/metrics`)) === null ? null : `${url}/metrics`;
  const processes = options.againstPids.map(({ name, pid }): MeasuredProcess => ({ name, pid, group: STAND_INS.has(name) ? 'stand-in' : 'pipeline' }));
  return {
    target: {
      urls: { bff: url, udi: udiUrl ?? undefined },
      metricsUrls: metricsUrl === null ? {} : { bff: metricsUrl },
      redisCounts: () => Promise.resolve(null),
      processes: () => processes,
      clientAddress: shopperAddress,
    },
    deployment: { url, udiUrl, metricsUrl, pids: options.againstPids },
  };
}

async function expectOk(url: string, code: 'DEPLOYMENT_NOT_READY' | 'DEPLOYMENT_UDI_UNREACHABLE', what: string): Promise<void> {
  let status: number;
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS) });
    await response.body?.cancel();
    status = response.status;
  } catch (err) {
    throw new DeploymentError(code, `${url} could not be reached (${reason(err)}): ${what}`);
  }
  if (status !== 200) throw new DeploymentError(code, `${url} answered ${status}: ${what}`);
}

/** fetch's own message is "fetch failed"; the cause says why (ECONNREFUSED …). */
function reason(err: unknown): string {
  const cause = err instanceof Error ? (err.cause as { code?: unknown } | undefined) : undefined;
  if (typeof cause?.code === 'string') return cause.code;
  return err instanceof Error ? err.message : String(err);
}

function processExists(pid: number): boolean {
  try {
    readFileSync(`/proc/${pid}/stat`);
    return true;
  } catch {
    return false;
  }
}
