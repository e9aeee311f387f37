/** The tables of `--floor` in latest.md: payflow's improved flow over the floor, per process and for the pipeline. */
import type { FigurePair, FloorComparison, FloorResults } from '../measuring/floor-comparison.js';
import type { BenchResults } from '../results.js';
import { tableHead } from './table-cells.js';

const figure = (value: number | null) => (value === null ? '–' : String(value));
const times = (ratio: number | null) => (ratio === null ? '–' : `${ratio} ×`);
const both = (p50: FigurePair, p99: FigurePair, side: 'floor' | 'payflow') => `${figure(p50[side])} / ${figure(p99[side])}`;
const errors = (e: { failed: number; of: number } | null) => (e === null ? '–' : `${e.failed} of ${e.of}`);
const mark = (sustained: boolean | null) => (sustained === false ? ' ✗' : '');

const HOW =
  'ms of CPU (user + system, every thread, from `/proc/<pid>/stat`) per payment: the floor’s over its measured window, per payment confirmed in it (its `loadgen.mjs`); ' +
  'payflow’s from the first arrival to the last shopper’s end, per payment signed in, as in the CPU tables. *payflow / floor*: how many times the floor’s figure payflow spends or waits.';

/** Per process, the pipeline in bold, then the latencies and errors: one run of each at one rate. */
export function steadyVersusTable(c: FloorComparison): string[] {
  const rows = c.processes.map((p) => `| ${p.name} | ${figure(p.floor)} | ${figure(p.payflow)} | ${times(p.ratio)} |`);
  const { pipeline, firstAnswer, confirmed } = c;
  return [
    ...tableHead(['process', 'floor, ms / payment', 'payflow, ms / payment', 'payflow / floor']),
    ...rows,
    `| **pipeline** (BFF, workers, Kafka, Redis) | **${figure(pipeline.floor)}** | **${figure(pipeline.payflow)}** | **${times(pipeline.ratio)}** |`,
    `| first answer p50 / p99, ms | ${both(firstAnswer.p50, firstAnswer.p99, 'floor')} | ${both(firstAnswer.p50, firstAnswer.p99, 'payflow')} | ${times(firstAnswer.p50.ratio)} / ${times(firstAnswer.p99.ratio)} |`,
    `| confirmed p50 / p99, ms (payflow: signed in) | ${both(confirmed.p50, confirmed.p99, 'floor')} | ${both(confirmed.p50, confirmed.p99, 'payflow')} | ${times(confirmed.p50.ratio)} / ${times(confirmed.p99.ratio)} |`,
    `| errors | ${errors(c.errors.floor)} | ${errors(c.errors.payflow)} | |`,
  ];
}

/** One row per offered rate: the pipeline of each, its ratio, first answers and p99 to the outcome; ✗ where a system did not sustain the rate. */
export function stepVersusTable(steps: FloorComparison[]): string[] {
  const rows = steps.map(
    (c) =>
      `| ${c.rate} | ${figure(c.pipeline.floor)}${mark(c.sustained.floor)} | ${figure(c.pipeline.payflow)}${mark(c.sustained.payflow)} | ${times(c.pipeline.ratio)} | ` +
      `${both(c.firstAnswer.p50, c.firstAnswer.p99, 'floor')} | ${both(c.firstAnswer.p50, c.firstAnswer.p99, 'payflow')} | ${figure(c.confirmed.p99.floor)} | ${figure(c.confirmed.p99.payflow)} | ` +
      `${errors(c.errors.floor)} | ${errors(c.errors.payflow)} |`,
  );
  return [
    ...tableHead([
      'offered/s',
      'floor pipeline',
      'payflow pipeline',
      'payflow / floor',
      'floor first answer p50 / p99',
      'payflow first answer p50 / p99',
      'floor confirmed p99',
      'payflow signed in p99',
      'floor errors',
      'payflow errors',
    ]),
    ...rows,
  ];
}

/** As payflow's steps are reported: a floor that sustained even the last rate is shown with ≥, a lower bound. */
function highestSustained(step: FloorResults['step']): string {
  if (step?.maxSustainedRate === null || step?.maxSustainedRate === undefined) return 'no rate';
  return step.steps.at(-1)?.sustained === true ? `≥ ${step.maxSustainedRate}/s (the last rate)` : `${step.maxSustainedRate}/s`;
}

/** The `--floor` section of latest.md; nothing without the flag. */
export function floorTables(results: Pick<BenchResults, 'floor' | 'options' | 'step'>): string[] {
  const floor: FloorResults | undefined = results.floor;
  if (floor?.versus === undefined) return [];
  const { options } = results;
  const out: string[] = [];
  const sitting = `the floor (\`${floor.dir}\`) ran first, in the same sitting, each of its runs warmed ${floor.warmUpS} s at half its rate; payflow’s improved flow was warmed ${options.warmUp} s at 50/s.`;
  if (floor.versus.steady !== undefined) {
    out.push(
      '',
      `**Against the floor, steady** ${floor.versus.steady.rate}/s for ${options.duration} s each: ${sitting} ${HOW}`,
      '',
      ...steadyVersusTable(floor.versus.steady),
    );
  }
  if (floor.versus.step !== undefined) {
    const bound = results.step?.p99BoundMs ?? options.p99Bound;
    out.push(
      '',
      `**Against the floor, each step**, ${options.stepDuration} s per rate: ${sitting} The floor steps up until a rate is not sustained (an error, or p99 confirmed above ${bound} ms), as payflow does (✗). ` +
        `${floor.versus.steady === undefined ? HOW : 'CPU in ms per payment as above.'} The floor sustained ${highestSustained(floor.step)}.`,
      '',
      ...stepVersusTable(floor.versus.step),
    );
  }
  return out;
}
