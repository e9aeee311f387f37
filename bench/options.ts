import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { UsageError } from '../lib/usage-error.js';

const SCENARIOS = ['steady', 'step', 'outage', 'burst', 'waiting', 'surge', 'workers-down', 'scale-out'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];
/** The scenarios that only drive shoppers at a URL: the ones that run against a deployment started elsewhere (`--against`). */
export const LOAD_SCENARIOS = ['steady', 'step', 'burst'] as const satisfies readonly ScenarioName[];
export const FLOWS = ['async', 'sync'] as const;
export type FlowName = (typeof FLOWS)[number];

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
/** An http(s) URL, without the trailing slash paths are appended to. */
const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).transform((url) => url.replace(/\/+$/, ''));
const list = <T extends z.ZodType>(item: T) =>
  z.preprocess(
    (value) =>
      typeof value === 'string'
        ? value
            .split(',')
            .map((part) => part.trim())
            .filter(Boolean)
        : value,
    z.array(item).min(1),
  );

/** Every option of `npm run bench`, with its default; `--help` prints them. */
const Options = z
  .object({
    /** Which scenarios to run, comma-separated; default all of them. */
    scenario: list(z.enum([...SCENARIOS, 'all'])).default(['all']),
    /** Which flows to drive, comma-separated; default both (the improved one first). */
    flows: list(z.enum(FLOWS)).default([...FLOWS]),
    /** Shoppers arriving per second in the steady and outage scenarios, and around the burst; default 100. */
    rate: int(1, 5_000).default(100),
    /** Seconds of arrivals per flow in the steady scenario; default 30. */
    duration: int(1, 600).default(30),
    /** Seconds of arrivals per flow in the outage scenario (Billing Gates is down for 10 s in the middle); default 40. */
    outageDuration: int(20, 600).default(40),
    /** Seconds of arrivals per flow in the workers-down scenario; default 40. */
    workersDownDuration: int(3, 600).default(40),
    /** Seconds the workers stay stopped, in the middle of the workers-down run; default 20. */
    workersDownStop: int(1, 598).default(20),
    /**
     * Offered rates of the step scenario, comma-separated; each flow steps up until a rate is not
     * sustained. Default 50,100,200,300,400,600,800,1000,1200,1600: high enough for each flow to
     * fail on a 2-core machine, so its highest sustained rate is measured; one still sustained at
     * the last rate is reported as "≥", a lower bound.
     */
    stepRates: list(int(1, 5_000)).default([50, 100, 200, 300, 400, 600, 800, 1_000, 1_200, 1_600]),
    /** Seconds per step; default 10. */
    stepDuration: int(2, 300).default(10),
    /** A step is sustained when p99 time to signed-in stays under this many ms (and nothing fails); default 1500. */
    p99Bound: int(1, 600_000).default(1_500),
    /** Shoppers arriving at the same instant in the burst scenario; default 500. */
    burst: int(1, 20_000).default(500),
    /** Shoppers in flight at most; an arrival beyond it is counted as shed, not queued; default 5000. */
    concurrency: int(1, 100_000).default(5_000),
    /** Billing Gates' latency per call in ms; default 300 (the stand-in's own default). */
    billingLatency: int(0, 60_000).default(300),
    /** Udi's latency per call in ms; default 150 (the stand-in's own default). */
    udiLatency: int(0, 60_000).default(150),
    /** Seconds a shopper waits for the SSO token before counting as timed out; default 60. */
    timeout: int(1, 600).default(60),
    /** Exchange each SSO token with Udi afterwards to check it is usable (untimed); default true, with --against only when --against-udi is given. */
    verifyToken: z
      .enum(['true', 'false'])
      .transform((value) => value === 'true')
      .optional(),
    /** Partitions per topic; default 6. */
    partitions: int(1, 64).default(6),
    /** Where the results go; default bench/results, with --against bench/results/against-deployment. */
    out: z.string().min(1).optional(),
    /** Shoppers waiting with their socket open while Billing Gates is down, in the waiting scenario; default 2000. */
    waiting: int(1, 20_000).default(2_000),
    /** Have the BFF write a heap snapshot into this folder before the waiting shoppers arrive and while they wait; default none. */
    heapSnapshot: z.string().min(1).optional(),
    /** Billing Gates' capacity in the surge scenario, charges/s (shoppers arrive at 3 × that); default 50. */
    surgeCapacity: int(1, 2_000).default(50),
    /** Seconds of arrivals per flow in the surge scenario; default 10. */
    surgeDuration: int(1, 300).default(10),
    /** Write a V8 CPU profile of every payflow process into this folder when it stops (node --cpu-prof); default none. */
    cpuProf: z.string().min(1).optional(),
    /** BFF replica counts of the scale-out scenario, comma-separated, each on a system of its own; default 1,2,3. */
    bffReplicas: list(int(1, 8)).default([1, 2, 3]),
    /** Shoppers arriving per second in the scale-out scenario, for each replica count; default 100. */
    scaleOutRate: int(1, 5_000).default(100),
    /** Seconds of arrivals per replica count in the scale-out scenario; default 20. */
    scaleOutDuration: int(1, 600).default(20),
    /**
     * The floor pipeline's folder (../shared/perf-floor), run first at the same rates to compare
     * payflow's CPU per payment with; relative to the project's root. Default none: no floor.
     */
    floor: z.string().min(1).optional(),
    /** Seconds the improved flow (at 50/s) and each floor run (at half its rate) are warmed before they are measured; default 30. */
    warmUp: int(1, 600).default(30),
    /** A deployment started elsewhere (`npm start`): the URL of its BFF or load balancer, driven instead of a system of the bench's own; default none. */
    against: httpUrl.optional(),
    /** With --against: Udi's URL, to exchange each SSO token with (--verify-token); default none, tokens unverified. */
    againstUdi: httpUrl.optional(),
    /** With --against: processes of the deployment on this machine whose CPU per payment to measure, as name=pid; default none. */
    againstPids: list(z.string().regex(/^[\w.-]+=[1-9]\d*$/, 'each must be name=pid, e.g. bff=12345')).optional(),
  })
  .strict()
  // A second before the stop and one after the start at least, so both happen while shoppers arrive.
  .refine((o) => o.workersDownStop <= o.workersDownDuration - 2, {
    path: ['workersDownStop'],
    message: 'must be at least 2 s shorter than --workers-down-duration',
  });

/** A process of a deployment started elsewhere, named by the person who gave its pid (`--against-pids`). */
export interface NamedPid {
  name: string;
  pid: number;
}

export type BenchOptions = Omit<z.infer<typeof Options>, 'scenario' | 'verifyToken' | 'out' | 'againstPids'> & {
  scenarios: ScenarioName[];
  verifyToken: boolean;
  out: string;
  againstPids: NamedPid[];
};

export { UsageError };

const KEBAB: Record<string, string> = {
  'outage-duration': 'outageDuration',
  'workers-down-duration': 'workersDownDuration',
  'workers-down-stop': 'workersDownStop',
  'step-rates': 'stepRates',
  'step-duration': 'stepDuration',
  'p99-bound': 'p99Bound',
  'billing-latency': 'billingLatency',
  'udi-latency': 'udiLatency',
  'verify-token': 'verifyToken',
  'cpu-prof': 'cpuProf',
  'heap-snapshot': 'heapSnapshot',
  'surge-capacity': 'surgeCapacity',
  'surge-duration': 'surgeDuration',
  'bff-replicas': 'bffReplicas',
  'scale-out-rate': 'scaleOutRate',
  'scale-out-duration': 'scaleOutDuration',
  'warm-up': 'warmUp',
  'against-udi': 'againstUdi',
  'against-pids': 'againstPids',
};

export const USAGE = `npm run bench -- [options]
  --scenario steady,step,outage,burst,waiting,surge,workers-down,scale-out|all  default all
  --flows async,sync                   default both
  --rate N                             arrivals/s for steady and outage, and around the burst, default 100
  --duration S                         steady: seconds of arrivals per flow, default 30
  --outage-duration S                  outage: seconds per flow (>= 20), default 40
  --workers-down-duration S            workers-down: seconds of arrivals per flow, default 40
  --workers-down-stop S                workers-down: seconds the workers stay stopped, in the middle, default 20
  --step-rates R1,R2,...               step: offered rates, default 50,100,200,300,400,600,800,1000,1200,1600
  --step-duration S                    step: seconds per rate, default 10
  --p99-bound MS                       step: p99 time to signed-in that still counts as sustained, default 1500
  --burst N                            burst: shoppers arriving at the same instant, default 500
  --concurrency N                      shoppers in flight at most (more are shed), default 5000
  --billing-latency MS                 Billing Gates latency per call, default 300
  --udi-latency MS                     Udi latency per call, default 150
  --timeout S                          how long a shopper waits for the token, default 60
  --verify-token true|false            exchange each token with Udi afterwards, default true
  --waiting N                          waiting: shoppers waiting with a socket while Billing Gates is down, default 2000
  --surge-capacity N                   surge: Billing Gates' charges/s (shoppers arrive at 3 x that), default 50
  --surge-duration S                   surge: seconds of arrivals per flow, default 10
  --partitions N                       partitions per topic, default 6
  --out DIR                            default bench/results
  --cpu-prof DIR                       write a CPU profile of every payflow process into DIR (node --cpu-prof)
  --heap-snapshot DIR                  waiting: the BFF writes a heap snapshot into DIR before the shoppers arrive and while they wait
  --bff-replicas N1,N2,...             scale-out: BFF replica counts behind the load balancer, each on a system of its own, default 1,2,3
  --scale-out-rate N                   scale-out: arrivals/s for each replica count, default 100
  --scale-out-duration S               scale-out: seconds of arrivals per replica count, default 20
  --floor [DIR]                        run the floor pipeline in DIR first, at the steady rate and each step rate, and compare
                                       payflow's CPU per payment with it; DIR relative to the project, default ../shared/perf-floor
  --warm-up S                          seconds the improved flow (at 50/s) and each floor run (at half its rate) are warmed, default 30
  --against URL                        drive a deployment started elsewhere (npm start) at its BFF's or load balancer's URL, starting
                                       nothing: steady, step and burst of the improved flow only; default scenarios steady,step,burst,
                                       default --out bench/results/against-deployment
  --against-udi URL                    with --against: Udi's URL (npm start: http://127.0.0.1:4002), to verify each token; without it
                                       tokens are not verified
  --against-pids NAME=PID,...          with --against: processes of the deployment on this machine to measure CPU per payment of,
                                       e.g. bff=123,billing-worker=124,order-worker=125,kafka=120,redis=121`;

const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));
export const DEFAULT_FLOOR_DIR = '../shared/perf-floor';

/** `--floor` takes its folder optionally: alone (last, or before another option) it stands for the default one. */
function withFloorDefault(argv: string[]): string[] {
  return argv.map((arg, i) => {
    const next = argv[i + 1];
    return arg === '--floor' && (next === undefined || next.startsWith('-')) ? `--floor=${DEFAULT_FLOOR_DIR}` : arg;
  });
}

/** Parses argv into validated options, or throws a UsageError whose message names each bad option. */
export function parseOptions(argv: string[]): BenchOptions {
  let values: Record<string, string | boolean | undefined>;
  try {
    const keys = [
      'scenario',
      'flows',
      'rate',
      'duration',
      'burst',
      'concurrency',
      'timeout',
      'partitions',
      'out',
      'waiting',
      'floor',
      'against',
      ...Object.keys(KEBAB),
    ];
    values = parseArgs({
      args: withFloorDefault(argv),
      options: Object.fromEntries(keys.map((key) => [key, { type: 'string' as const }])),
      strict: true,
    }).values;
  } catch (err) {
    throw new UsageError(`${err instanceof Error ? err.message : String(err)}\n\n${USAGE}`);
  }
  const renamed = Object.fromEntries(Object.entries(values).map(([key, value]) => [KEBAB[key] ?? key, value]));
  const parsed = Options.safeParse(renamed);
  if (!parsed.success) {
    const toFlag = (name: string) => `--${Object.entries(KEBAB).find(([, camel]) => camel === name)?.[0] ?? name}`;
    const lines = parsed.error.issues.map((issue) => `${toFlag(String(issue.path[0] ?? ''))}: ${issue.message}`);
    throw new UsageError(`invalid options:\n  ${lines.join('\n  ')}\n\n${USAGE}`);
  }
  if (parsed.data.against !== undefined) return againstOptions(parsed.data, new Set(Object.keys(values)));
  const { scenario, floor, verifyToken, out, ...rest } = parsed.data;
  for (const flag of ['against-udi', 'against-pids'] as const) {
    if (values[flag] !== undefined) throw new UsageError(`--${flag}: only with --against URL\n\n${USAGE}`);
  }
  const scenarios: ScenarioName[] = scenario.includes('all') ? [...SCENARIOS] : (scenario as ScenarioName[]);
  if (floor !== undefined && !rest.flows.includes('async'))
    throw new UsageError(`--floor: the floor is compared with the improved flow; add async to --flows\n\n${USAGE}`);
  if (floor !== undefined && !scenarios.some((name) => name === 'steady' || name === 'step')) {
    throw new UsageError(`--floor: the floor is compared in the steady and step scenarios; add one of them to --scenario\n\n${USAGE}`);
  }
  return {
    ...rest,
    floor: floor === undefined ? undefined : resolve(PROJECT_ROOT, floor),
    scenarios,
    verifyToken: verifyToken ?? true,
    out: out ?? 'bench/results',
    againstPids: [],
  };
}

/** Why each scenario outside LOAD_SCENARIOS cannot run against a deployment the bench did not start. */
const NEEDS_CONTROL: Record<Exclude<ScenarioName, (typeof LOAD_SCENARIOS)[number]>, string> = {
  outage: "takes Billing Gates down through its /__control, whose URL and switches belong to the deployment's owner",
  waiting: "takes Billing Gates down and reads the BFF's memory from its pid",
  surge: "sets Billing Gates' capacity through its /__control",
  'workers-down': 'stops and starts the workers',
  'scale-out': 'starts a system of its own for each replica count',
};

/** Options that act on processes the bench starts; refused with --against, each with its reason. */
const NOT_AGAINST: Record<string, string> = {
  floor: "the floor is compared with payflow within one sitting of the bench's own system",
  'cpu-prof': 'profiles are written by the processes the bench starts (node --cpu-prof)',
  'heap-snapshot': 'snapshots are written by a BFF the bench starts, in the waiting scenario',
  partitions: "the deployment's topics have the partitions it was started with (TOPIC_PARTITIONS)",
};

const isLoadScenario = (name: ScenarioName): name is (typeof LOAD_SCENARIOS)[number] => (LOAD_SCENARIOS as readonly ScenarioName[]).includes(name);

/**
 * `--against URL`: the improved flow's shoppers at a deployment someone else started. What needs
 * the bench's own system (a scenario that switches a stand-in or a worker, the current flow's
 * baseline, the floor, profiles) is refused by name rather than skipped, and the defaults are what
 * can run: steady, step and burst, the improved flow, tokens verified only when Udi's URL is given.
 * `given` holds the flags on the command line, to tell a default from a choice.
 */
function againstOptions(data: z.infer<typeof Options>, given: ReadonlySet<string>): BenchOptions {
  const refuse = (flag: string, why: string) => new UsageError(`${flag}: not with --against: ${why}\n\n${USAGE}`);
  const flag = Object.keys(NOT_AGAINST).find((name) => given.has(name));
  if (flag !== undefined) throw refuse(`--${flag}`, NOT_AGAINST[flag]!);
  const { scenario, floor: _floor, verifyToken, out, againstPids, ...rest } = data;
  const named = scenario.filter((name) => name !== 'all');
  const control = named.find((name) => !isLoadScenario(name));
  if (control !== undefined) throw refuse(`--scenario ${control}`, `it ${NEEDS_CONTROL[control]}; steady, step and burst run against a deployment`);
  if (given.has('flows') && rest.flows.includes('sync'))
    throw refuse('--flows sync', "the current flow runs on the bench's own baseline server; only async runs against a deployment");
  if (verifyToken === true && rest.againstUdi === undefined) {
    throw new UsageError(
      `--verify-token true: exchanging each token needs the deployment's Udi; add --against-udi URL (npm start's: http://127.0.0.1:4002)\n\n${USAGE}`,
    );
  }
  const pids = (againstPids ?? []).map((entry): NamedPid => {
    const [name = '', pid = ''] = entry.split('=');
    return { name, pid: Number(pid) };
  });
  const twice = pids.find((p, i) => pids.findIndex((other) => other.name === p.name) !== i);
  if (twice !== undefined)
    throw new UsageError(`--against-pids: ${twice.name} is named twice; give each process once, several instances as bff-1, bff-2 …\n\n${USAGE}`);
  return {
    ...rest,
    flows: ['async'],
    scenarios: scenario.includes('all') ? [...LOAD_SCENARIOS] : named,
    verifyToken: verifyToken ?? rest.againstUdi !== undefined,
    out: out ?? 'bench/results/against-deployment',
    againstPids: pids,
    floor: undefined,
  };
}
