/**
 * The JSON the floor's load generator (loadgen.mjs) writes to results/load-RATE-*.json after each
 * run, read and checked here so that a floor of another shape stops the bench with a clear error
 * instead of a table of blanks. Pure: bench/drivers/floor-session.ts finds the file and runs the floor.
 */
import { z } from 'zod';
import { FloorError } from '../drivers/floor-error.js';

/** The floor's processes, as its run/pids.json names them, and its load generator. */
export const FLOOR_PROCESSES = ['bff', 'billing', 'order', 'kafka', 'redis', 'standins', 'loadgen'] as const;

/** JSON has no NaN or Infinity: loadgen's figures over no payment at all arrive as null. */
const figure = z.number().nullable();
const perProcess = <T extends z.ZodType>(value: T) =>
  z.object(Object.fromEntries(FLOOR_PROCESSES.map((name) => [name, value])) as Record<(typeof FLOOR_PROCESSES)[number], T>);
const percentiles = z.object({ p50: figure, p99: figure });

const FloorLoadResult = z.object({
  kind: z.literal('load'),
  rate: z.number().positive(),
  dur: z.number().positive(),
  /** The measured window, s: CPU is read at its start and end. */
  seconds: z.number().positive(),
  arrivalsInWindow: z.number().int().nonnegative(),
  /** Payments confirmed inside the window: what CPU per payment divides by. */
  confirmedInWindow: z.number().int().nonnegative(),
  /** Shoppers who failed, warm-up included. */
  errors: z.number().int().nonnegative(),
  errorKinds: z.record(z.string(), z.number()),
  shoppers: z.number().int().nonnegative(),
  cpuMsPerPayment: perProcess(figure),
  ioPerPayment: perProcess(z.object({ reads: figure, writes: figure, wakeups: figure })),
  /** bff + billing + order + kafka + redis. */
  pipelineMsPerPayment: figure,
  /** CPU of everything else on the machine during the window, ms a second. */
  othersMsPerSecond: figure,
  firstAnswerMs: percentiles,
  confirmedMs: percentiles,
  at: z.string(),
});

/** One floor run at one rate, as the bench keeps it in latest.json. */
export type FloorRun = z.infer<typeof FloorLoadResult> & { file: string };

/** Parses and checks the text of one result file; `expected` is the rate and duration the floor was asked for. */
export function parseFloorResult(file: string, text: string, expected: { rate: number; durationS: number }): FloorRun {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw invalid(file, `not JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  const parsed = FloorLoadResult.safeParse(json);
  if (!parsed.success) throw invalid(file, fieldsAmiss(parsed.error.issues));
  const { rate, dur } = parsed.data;
  if (rate !== expected.rate || dur !== expected.durationS)
    throw invalid(file, `it is a run of ${rate}/s for ${dur} s, not of ${expected.rate}/s for ${expected.durationS} s`);
  return { ...parsed.data, file };
}

/** The first few fields amiss, each with what was wrong: a whole report of a wrong file would fill the screen. */
function fieldsAmiss(issues: z.core.$ZodIssue[]): string {
  const shown = issues.slice(0, 4).map((issue) => `${issue.path.join('.') || '(the whole file)'}: ${issue.message}`);
  return `${shown.join('; ')}${issues.length > shown.length ? `; and ${issues.length - shown.length} more` : ''}`;
}

const invalid = (file: string, why: string) =>
  new FloorError(
    'FLOOR_RESULT_INVALID',
    `${file} is not a floor result the bench can read: ${why}. Check that --floor names the perf-floor folder whose loadgen.mjs writes the fields its README describes.`,
  );
