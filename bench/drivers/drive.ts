import { monitorEventLoopDelay } from 'node:perf_hooks';
import { failure, type Shopper, type ShopperResult } from './shopper.js';

export interface DriveOptions {
  /** Shown at the start of the progress line. */
  label: string;
  ratePerSecond: number;
  durationS: number;
  /** Shoppers in flight at most; an arrival beyond it is shed (counted, not started). */
  maxInFlight: number;
  timeoutMs: number;
  shopper: Shopper;
  /**
   * Called once per second of the run with its elapsed seconds, e.g. to take a service down, and
   * the run's clock: ms since the first arrival, as each shopper's arrivalMs counts them.
   */
  onSecond?: OnSecond;
  /** Ends the arrivals early once aborted; the shoppers already on their way finish. */
  stop?: AbortSignal;
}

export type OnSecond = (elapsedS: number, sinceStartMs: () => number) => void | Promise<void>;

export interface DriveResult {
  results: ShopperResult[];
  offered: number;
  shed: number;
  /** When arrivals began (epoch ms). */
  startedAt: number;
  /** From the first arrival to the last shopper's end, ms. */
  spanMs: number;
  /** The load generator's own worst event-loop delay, ms: above a few ms, it is part of the figures. */
  generatorLagMaxMs: number;
}

let shopperIndex = 0;

/**
 * An open-model load: arrivals at fixed times (i / rate), whatever the system's answers, so a
 * slow system meets a growing queue instead of a politely waiting client. Each shopper's clock
 * starts at its scheduled arrival, so a load generator that falls behind shows up in the figures
 * rather than hiding them (no coordinated omission).
 */
export async function drive(options: DriveOptions): Promise<DriveResult> {
  const { ratePerSecond, durationS, maxInFlight, timeoutMs, shopper, stop } = options;
  const total = Math.round(ratePerSecond * durationS);
  const results: ShopperResult[] = [];
  const running = new Set<Promise<void>>();
  const lag = monitorEventLoopDelay({ resolution: 10 });
  lag.enable();
  const startedAt = Date.now();
  const t0 = performance.now();
  const sinceStartMs = () => performance.now() - t0;
  let launched = 0;
  let shed = 0;
  let secondsDone = 0;
  const progress = new Progress(options.label, ratePerSecond, durationS);

  while (launched < total && stop?.aborted !== true) {
    const now = performance.now();
    const due = Math.min(total, Math.floor(((now - t0) * ratePerSecond) / 1_000) + 1);
    for (; launched < due; launched++) {
      const arrivalAt = t0 + (launched * 1_000) / ratePerSecond;
      if (running.size >= maxInFlight) {
        shed++;
        continue;
      }
      const ctx = { index: shopperIndex++, arrivalAt, arrivalMs: arrivalAt - t0, timeoutMs };
      const task = shopper(ctx)
        .catch((err: unknown) => failure(ctx, err))
        .then((result) => {
          results.push(result);
          progress.add(result);
          running.delete(task);
        });
      running.add(task);
    }
    const elapsedS = Math.floor((performance.now() - t0) / 1_000);
    while (secondsDone < elapsedS) {
      secondsDone++;
      progress.print(secondsDone, running.size, shed);
      await options.onSecond?.(secondsDone, sinceStartMs);
    }
    const nextAt = t0 + (launched * 1_000) / ratePerSecond;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, Math.min(50, nextAt - performance.now()))));
  }
  const ticker = setInterval(() => progress.print(Math.floor((performance.now() - t0) / 1_000), running.size, shed), 1_000);
  await Promise.all(running);
  clearInterval(ticker);
  progress.end(running.size, shed);
  lag.disable();
  return { results, offered: launched, shed, startedAt, spanMs: performance.now() - t0, generatorLagMaxMs: Math.round(lag.max / 1e6) };
}

/** One line, rewritten in place on a terminal, printed every 5 s otherwise. */
class Progress {
  private signedIn = 0;
  private failed = 0;
  private recent: number[] = [];

  constructor(
    private readonly label: string,
    private readonly rate: number,
    private readonly durationS: number,
  ) {}

  add(result: ShopperResult): void {
    if (result.outcome === 'signed-in') {
      this.signedIn++;
      this.recent.push(result.signedInMs ?? 0);
    } else this.failed++;
  }

  print(elapsedS: number, inFlight: number, shed: number, force = false): void {
    const tty = process.stderr.isTTY === true;
    if (!tty && !force && elapsedS % 5 !== 0) return;
    const sorted = this.recent.sort((a, b) => a - b);
    const p99 = sorted.length === 0 ? '-' : `${Math.round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))]!)} ms`;
    this.recent = [];
    const line = `[${this.label}] ${elapsedS}/${this.durationS} s at ${this.rate}/s  in flight ${inFlight}  signed in ${this.signedIn}  errors ${this.failed}  shed ${shed}  p99 (last s) ${p99}`;
    process.stderr.write(tty ? `\r\x1b[2K${line}` : `${line}\n`);
  }

  end(inFlight: number, shed: number): void {
    this.print(this.durationS, inFlight, shed, true);
    if (process.stderr.isTTY === true) process.stderr.write('\n');
  }
}
