/**
 * The seed's four claims for the improved flow, each as one table of the figures that bear on it,
 * the improved flow beside the current one, and a verdict per row that says plainly where the
 * improved flow is worse. Written into the project README by write-results.ts.
 */
import type { FlowSummary } from '../measuring/summary.js';
import type { FlowName } from '../options.js';
import type { BenchResults } from '../results.js';

/** Which way a figure is better. */
type Better = 'lower' | 'higher';

interface Row {
  figure: string;
  improved: number | null | undefined;
  current?: number | null | undefined;
  unit?: string;
  better?: Better;
}

interface Claim {
  title: string;
  rows: Row[];
}

const byFlow = <T extends { flow: FlowName }>(items: readonly T[] | undefined, flow: FlowName): T | undefined => items?.find((item) => item.flow === flow);
const share = (part: number, whole: number) => (whole === 0 ? null : Math.round((1000 * part) / whole) / 10);
const format = (value: number | null | undefined, unit = '') =>
  value === null || value === undefined ? '—' : `${value.toLocaleString('en-US', { maximumFractionDigits: 2 })}${unit}`;

function verdict({ improved, current, better }: Row): string {
  if (better === undefined || current === undefined) return '';
  if (improved === null || improved === undefined || current === null) return '';
  if (improved === current) return 'same';
  const improvedBetter = better === 'lower' ? improved < current : improved > current;
  return improvedBetter ? 'improved better' : '**improved worse**';
}

function table({ title, rows }: Claim): string[] {
  const present = rows.filter((row) => row.improved !== undefined || row.current !== undefined);
  if (present.length === 0) return [];
  return [
    `#### ${title}`,
    '',
    '| figure | improved (Kafka) | current (synchronous) | |',
    '| --- | ---: | ---: | --- |',
    ...present.map(
      (row) => `| ${row.figure} | ${format(row.improved, row.unit)} | ${row.current === undefined ? 'n/a' : format(row.current, row.unit)} | ${verdict(row)} |`,
    ),
    '',
  ];
}

function answersAtOnce(results: BenchResults): Claim {
  const steady = (flow: FlowName) => byFlow<FlowSummary>(results.steady, flow);
  const burst = (flow: FlowName) => byFlow(results.burst, flow);
  const surge = (flow: FlowName) => byFlow(results.surge?.flows, flow);
  const rate = results.options.rate;
  return {
    title: 'The shopper gets an answer at once',
    rows: [
      {
        figure: `first answer p50 at ${rate}/s (the current flow's is its whole checkout)`,
        improved: steady('async')?.firstAnswer.p50,
        current: steady('sync')?.firstAnswer.p50,
        unit: ' ms',
        better: 'lower',
      },
      {
        figure: `first answer p99 at ${rate}/s`,
        improved: steady('async')?.firstAnswer.p99,
        current: steady('sync')?.firstAnswer.p99,
        unit: ' ms',
        better: 'lower',
      },
      {
        figure: `signed in p50 at ${rate}/s`,
        improved: steady('async')?.signedInLatency.p50,
        current: steady('sync')?.signedInLatency.p50,
        unit: ' ms',
        better: 'lower',
      },
      {
        figure: `signed in p99 at ${rate}/s`,
        improved: steady('async')?.signedInLatency.p99,
        current: steady('sync')?.signedInLatency.p99,
        unit: ' ms',
        better: 'lower',
      },
      {
        figure: `burst of ${results.options.burst} POSTs at once: first answer p99`,
        improved: burst('async')?.firstAnswer.p99,
        current: burst('sync')?.firstAnswer.p99,
        unit: ' ms',
        better: 'lower',
      },
      {
        figure: `surge at 3 × capacity: shoppers answered 2xx within 1 s`,
        improved: surge('async')?.answeredShare === undefined ? undefined : share(surge('async')!.answeredWithin1s, surge('async')!.offered),
        current: surge('sync')?.answeredShare === undefined ? undefined : share(surge('sync')!.answeredWithin1s, surge('sync')!.offered),
        unit: ' %',
        better: 'higher',
      },
    ],
  };
}

function absorbsFailures(results: BenchResults): Claim {
  const outage = (flow: FlowName) => byFlow(results.outage?.flows, flow);
  const down = (flow: FlowName) => byFlow(results.workersDown?.flows, flow);
  const surge = (flow: FlowName) => byFlow(results.surge?.flows, flow);
  const signedInShare = (summary: FlowSummary | undefined) => (summary === undefined ? undefined : share(summary.signedIn, summary.offered));
  return {
    title: 'Failures are absorbed',
    rows: [
      {
        figure: `Billing Gates down ${results.outage?.downForS ?? '?'} s: shoppers signed in`,
        improved: signedInShare(outage('async')),
        current: signedInShare(outage('sync')),
        unit: ' %',
        better: 'higher',
      },
      { figure: 'Billing Gates down: errors', improved: outage('async')?.errorCount, current: outage('sync')?.errorCount, better: 'lower' },
      {
        figure: `workers stopped ${results.workersDown?.stopForS ?? '?'} s (current flow: Billing Gates down as long): errors`,
        improved: down('async')?.errorCount,
        current: down('sync')?.errorCount,
        better: 'lower',
      },
      {
        figure: 'surge at 3 × capacity: shoppers signed in',
        improved: signedInShare(surge('async')),
        current: signedInShare(surge('sync')),
        unit: ' %',
        better: 'higher',
      },
      { figure: 'surge: errors', improved: surge('async')?.errorCount, current: surge('sync')?.errorCount, better: 'lower' },
      {
        figure: 'surge: charged without an order',
        improved: surge('async')?.ledger.chargedWithoutOrder,
        current: surge('sync')?.ledger.chargedWithoutOrder,
        better: 'lower',
      },
      {
        figure: 'surge: orders left unconfirmed',
        improved: surge('async')?.ledger.unconfirmedOrders,
        current: surge('sync')?.ledger.unconfirmedOrders,
        better: 'lower',
      },
      {
        figure: 'surge: last shopper signed in after',
        improved: surge('async')?.lastSignedInS,
        current: surge('sync')?.lastSignedInS,
        unit: ' s',
        better: 'lower',
      },
    ],
  };
}

function looselyCoupled(results: BenchResults): Claim {
  const down = (flow: FlowName) => byFlow(results.workersDown?.flows, flow);
  const answeredShare = (flow: FlowName) => {
    const during = down(flow)?.duringStop;
    return during === undefined ? undefined : share(during.arrived - during.errorCount, during.arrived);
  };
  return {
    title: 'The parts are loosely coupled: a step away does not stop the checkout',
    rows: [
      {
        figure: 'workers (current: Billing Gates) away: first answer p99 of those who paid meanwhile',
        improved: down('async')?.duringStop.firstAnswer.p99,
        current: down('sync')?.duringStop.firstAnswer.p99,
        unit: ' ms',
        better: 'lower',
      },
      { figure: 'those who paid meanwhile and were signed in', improved: answeredShare('async'), current: answeredShare('sync'), unit: ' %', better: 'higher' },
      {
        figure: 'their time to signed in, p99',
        improved: down('async')?.duringStop.signedIn.p99,
        current: down('sync')?.duringStop.signedIn.p99,
        unit: ' ms',
        better: 'lower',
      },
      {
        figure: 'backlog cleared after the step was back',
        improved: down('async')?.duringStop.drainedMs,
        current: down('sync')?.duringStop.drainedMs,
        unit: ' ms',
        better: 'lower',
      },
      {
        figure: 'charged without an order',
        improved: down('async')?.ledger.chargedWithoutOrder,
        current: down('sync')?.ledger.chargedWithoutOrder,
        better: 'lower',
      },
    ],
  };
}

function scales(results: BenchResults): Claim {
  const step = (flow: FlowName) => byFlow(results.step?.flows, flow);
  const steady = (flow: FlowName) => byFlow<FlowSummary>(results.steady, flow);
  const runs = results.scaleOut?.runs ?? [];
  return {
    title: 'It scales',
    rows: [
      {
        figure: `highest rate sustained (p99 signed in ≤ ${results.step?.p99BoundMs ?? '?'} ms, no errors)`,
        improved: step('async')?.maxSustainedRate,
        current: step('sync')?.maxSustainedRate,
        unit: '/s',
        better: 'higher',
      },
      {
        figure: `server-side CPU per payment at ${results.options.rate}/s`,
        improved: steady('async')?.cpu.totals.flowServer,
        current: steady('sync')?.cpu.totals.flowServer,
        unit: ' ms',
        better: 'lower',
      },
      ...runs.flatMap(({ replicas, cpu, summary, pushes }): Row[] => [
        { figure: `${replicas} BFF replica(s) at ${results.scaleOut!.rate}/s: BFF CPU per payment, each replica`, improved: cpu.bffPerReplica, unit: ' ms' },
        { figure: `${replicas} BFF replica(s): BFF CPU per payment, all replicas`, improved: cpu.bff, unit: ' ms' },
        { figure: `${replicas} BFF replica(s): Redis CPU per payment (the adapter's fan-out)`, improved: cpu.redis, unit: ' ms' },
        { figure: `${replicas} BFF replica(s): pipeline CPU per payment`, improved: cpu.pipeline, unit: ' ms' },
        { figure: `${replicas} BFF replica(s): signed in p99`, improved: summary.signedInLatency.p99, unit: ' ms' },
        {
          figure: `${replicas} BFF replica(s): statuses that did not reach their socket`,
          improved: pushes.accepted === 0 ? null : pushes.afterReconnect + pushes.never,
        },
      ]),
    ],
  };
}

/** The four claims' tables, in markdown; a claim whose scenarios did not run is left out. */
export function claimTables(results: BenchResults): string {
  const lines = [answersAtOnce, absorbsFailures, looselyCoupled, scales].flatMap((claim) => table(claim(results)));
  return lines.length === 0
    ? ''
    : [
        `Taken ${results.takenAt.slice(0, 16).replace('T', ' ')} UTC on ${results.machine.cores} cores (load average ${results.loadBefore} before the start); every figure from \`bench/results/latest.json\`.`,
        '',
        ...lines,
      ].join('\n');
}
