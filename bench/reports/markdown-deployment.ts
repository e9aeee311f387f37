import type { BenchResults } from '../results.js';

/** The opening of the report on a deployment started elsewhere (`--against`): where it ran, and what its figures cannot include. */
export function deploymentLines(results: BenchResults): string[] {
  const d = results.deployment;
  if (d === undefined) return [];
  const pids = d.pids.map(({ name, pid }) => `${name} (pid ${pid})`).join(', ');
  return [
    `**Against a deployment started elsewhere**, at ${d.url}: the bench started nothing (no Kafka, Redis, payflow process, stand-in or baseline of its own) ` +
      "and drove the improved flow's shoppers there, each with an X-Forwarded-For of its own (198.18.0.0/15). The machine's other load is whatever that " +
      'deployment runs, and anything else running on the machine. The stand-in latency below is assumed (`--billing-latency`, `--udi-latency`), not read from the deployment.',
    '',
    `- Tokens: ${d.udiUrl === null ? '**not verified** (no `--against-udi`): a shopper is signed in once the confirmed snapshot brings its token' : `each exchanged with Udi at ${d.udiUrl} once signed in (untimed)`}.`,
    `- BFF event-loop delay: ${d.metricsUrl === null ? `none, ${d.url}/metrics did not answer` : `from ${d.metricsUrl} (where that is a load balancer, each scrape reads whichever replica answers it)`}.`,
    `- CPU per payment: ${d.pids.length === 0 ? 'none (no `--against-pids`)' : `of ${pids} only`}.`,
    '- Kafka requests of the workers and Redis commands: not counted (the bench reads them on the systems it starts).',
    '',
  ];
}
