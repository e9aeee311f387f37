import type { OnSecond } from '../drivers/drive.js';
import { round } from '../measuring/stats.js';

/** Something taken away for a window in the middle of a run and given back: Billing Gates down, the workers stopped. */
export interface Disruption {
  /** Takes it away; resolves once it is gone. */
  begin: () => Promise<unknown>;
  /** Gives it back; resolves once it is back. */
  end: () => Promise<unknown>;
}

/** The window as it happened, in ms on the run's clock (the one of each shopper's arrivalMs). */
export interface WindowTimes {
  /** Planned: from second `fromS` of the run, for `forS` seconds. */
  fromS: number;
  forS: number;
  /** begin was called, and resolved. */
  beginAtMs: number;
  goneAtMs: number;
  /** end was called, and resolved. */
  endAtMs: number;
  backAtMs: number;
}

/** The second a window of `forS` seconds starts at, to sit in the middle of `durationS` seconds of arrivals. */
export const middleOf = (durationS: number, forS: number) => Math.floor(durationS / 2 - forS / 2);

/**
 * Runs `run` with an onSecond hook that begins the disruption at second `fromS` and ends it
 * `forS` seconds later. The hook does not hold up arrivals while it acts (a worker takes a second
 * or more to stop, and shoppers keep arriving meanwhile), and it reads when each step actually
 * happened, so "arrived during the window" means what happened rather than what was planned.
 * The disruption is ended even when the run fails or ends first; what begin or end threw is
 * thrown once the run is over.
 */
export async function duringWindow<T>(
  { fromS, forS }: { fromS: number; forS: number },
  disruption: Disruption,
  run: (onSecond: OnSecond) => Promise<T>,
): Promise<{ value: T; window: WindowTimes }> {
  const window: WindowTimes = { fromS, forS, beginAtMs: NaN, goneAtMs: NaN, endAtMs: NaN, backAtMs: NaN };
  let clock = () => NaN;
  // Failures are kept as values: the run goes on meanwhile, and a rejection would be unhandled until it ends.
  const step = async (action: () => Promise<unknown>, at: 'beginAtMs' | 'endAtMs', done: 'goneAtMs' | 'backAtMs'): Promise<Error | undefined> => {
    window[at] = round(clock());
    try {
      await action();
      window[done] = round(clock());
      return undefined;
    } catch (err) {
      return err instanceof Error ? err : new Error(String(err));
    }
  };
  let began: Promise<Error | undefined> | undefined;
  let ended: Promise<Error | undefined> | undefined;
  const end = (from: Promise<Error | undefined>) => (ended ??= from.then(() => step(disruption.end, 'endAtMs', 'backAtMs')));
  const onSecond: OnSecond = (elapsedS, sinceStartMs) => {
    clock = sinceStartMs;
    if (elapsedS === fromS) began = step(disruption.begin, 'beginAtMs', 'goneAtMs');
    if (elapsedS === fromS + forS && began !== undefined) void end(began);
  };
  let value: T;
  try {
    value = await run(onSecond);
  } finally {
    if (began !== undefined) await end(began);
  }
  if (began === undefined) throw new Error(`the run ended before second ${fromS}, when the window was to begin`);
  const failed = (await began) ?? (await end(began));
  if (failed !== undefined) throw failed;
  return { value, window };
}
