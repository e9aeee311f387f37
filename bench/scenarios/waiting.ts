import { readdir, stat } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { asyncShopper } from '../drivers/async-shopper.js';
import { failure, type ShopperResult } from '../drivers/shopper.js';
import { setControl } from '../drivers/stand-in-control.js';
import { scrapeMetrics } from '../measuring/scrape-metrics.js';
import { heapUsedBytesFromMetrics, perShopper, rssKbFromStatus, settledOrLast, settledValue } from '../measuring/shopper-memory.js';
import { errorsByCode } from '../measuring/summary.js';
import type { BenchContext } from './run-flow.js';

/** The target for the BFF's memory per waiting shopper. */
export const TARGET_KB_PER_SHOPPER = 32;
/** How long the shoppers may take to arrive and get their first snapshot before the reading is taken anyway. */
const ARRIVE_LIMIT_MS = 120_000;
/**
 * Readings 5 s apart: V8's memory reducer runs its full collections some seconds after the
 * allocation rate drops, so readings closer together can agree before it has run.
 */
const READING_EVERY_MS = 5_000;
/** 60 s of readings at most before taking an unsettled value. */
const MAX_READINGS = 12;

export interface MemoryReading {
  rssKb: number;
  /** V8 heap in use (prom-client's `nodejs_heap_size_used_bytes`) in KB, null when /metrics did not answer. */
  heapKb: number | null;
}

export interface WaitingSummary {
  shoppers: number;
  /** Shoppers whose socket had its first snapshot (`processing`) when the reading was taken. */
  waiting: number;
  before: MemoryReading;
  during: MemoryReading;
  /** The BFF's RSS growth per waiting shopper, KB. */
  kbPerShopper: number | null;
  heapKbPerShopper: number | null;
  targetKb: number;
  /** After Billing Gates came back. */
  signedIn: number;
  errors: Record<string, number>;
  errorCount: number;
  /** Heap snapshots written by the BFF (--heap-snapshot): before the arrivals, and while they wait. */
  heapSnapshots: string[];
}

/**
 * Billing Gates down, `--waiting` shoppers each POST a payment and open their socket, and wait.
 * The BFF's RSS and heap are read once settled, before they arrive and while they all wait; then
 * Billing Gates comes back and every shopper is followed to the end, so the system is clean for
 * what comes next.
 */
export async function waiting(ctx: BenchContext): Promise<WaitingSummary> {
  const { options, system } = ctx;
  const bff = system.processes().find((p) => p.name === 'bff');
  if (bff === undefined) throw new Error('no BFF process to measure');
  const rssKb = () => rssKbFromStatus(readFileSync(`/proc/${bff.pid}/status`, 'utf8'));
  const metricsUrl = system.metricsUrls['bff'];
  if (metricsUrl === undefined) throw new Error('no /metrics of the BFF to read its heap from');
  const read = () => readMemory(rssKb, metricsUrl);
  const snapshots: string[] = [];
  const snapshot = async () => {
    if (options.heapSnapshot !== undefined) snapshots.push(await writeHeapSnapshot(bff.pid, options.heapSnapshot));
  };

  const n = options.waiting;
  const progress = new WaitingProgress(n, rssKb);
  let waitingNow = 0;
  const results: ShopperResult[] = [];
  await setControl(system.urls.billingGates, { down: true });
  try {
    const before = await settledReading(read, () => progress.print('before', null));
    await snapshot();
    const t0 = performance.now();
    const timeoutMs = ARRIVE_LIMIT_MS + MAX_READINGS * READING_EVERY_MS * 2 + options.timeout * 1_000;
    const running: Promise<void>[] = [];
    for (let index = 0; index < n; index++) {
      const arrivalAt = t0 + (index * 1_000) / options.rate;
      await sleep(Math.max(0, arrivalAt - performance.now()));
      const shopperCtx = { index, arrivalAt, arrivalMs: arrivalAt - t0, timeoutMs };
      // Waiting from the first snapshot its socket gets: the one sent as it joins its payment.
      let joined = false;
      const onStatus = () => {
        if (!joined) waitingNow++;
        joined = true;
      };
      const run = asyncShopper({ bffUrl: system.urls.bff, verifyWith: options.verifyToken ? system.urls.udi : undefined, onStatus });
      running.push(
        run(shopperCtx)
          .catch((err: unknown) => failure(shopperCtx, err))
          .then((result) => {
            results.push(result);
            if (joined) waitingNow--;
          }),
      );
      progress.print('arriving', { arrived: index + 1, waiting: waitingNow, results });
    }
    const until = performance.now() + ARRIVE_LIMIT_MS;
    while (waitingNow + results.length < n && performance.now() < until) {
      await sleep(500);
      progress.print('arriving', { arrived: n, waiting: waitingNow, results });
    }
    const waitingAtReading = waitingNow;
    const during = await settledReading(read, () => progress.print('settling', { arrived: n, waiting: waitingNow, results }));
    await snapshot();

    await setControl(system.urls.billingGates, { down: false });
    const ticker = setInterval(() => progress.print('finishing', { arrived: n, waiting: waitingNow, results }), 1_000);
    await Promise.all(running);
    clearInterval(ticker);
    progress.print('done', { arrived: n, waiting: waitingNow, results }, true);

    ctx.raw['waiting async'] = results;
    const signedIn = results.filter((r) => r.outcome === 'signed-in').length;
    return {
      shoppers: n,
      waiting: waitingAtReading,
      before,
      during,
      kbPerShopper: perShopper(before.rssKb, during.rssKb, waitingAtReading),
      heapKbPerShopper: perShopper(before.heapKb, during.heapKb, waitingAtReading),
      targetKb: TARGET_KB_PER_SHOPPER,
      signedIn,
      errors: errorsByCode(results),
      errorCount: results.length - signedIn,
      heapSnapshots: snapshots,
    };
  } finally {
    await setControl(system.urls.billingGates, { down: false });
  }
}

async function readMemory(readRssKb: () => number, metricsUrl: string): Promise<MemoryReading> {
  const rssKb = readRssKb();
  const text = await scrapeMetrics(metricsUrl);
  const bytes = text === null ? null : heapUsedBytesFromMetrics(text);
  return { rssKb, heapKb: bytes === null ? null : Math.round(bytes / 1_024) };
}

/** Reads every READING_EVERY_MS until RSS has settled (or MAX_READINGS); the heap figure of the same readings. */
async function settledReading(read: () => Promise<MemoryReading>, onReading: () => void): Promise<MemoryReading> {
  const readings: MemoryReading[] = [];
  for (;;) {
    readings.push(await read());
    onReading();
    const rss = readings.map((r) => r.rssKb);
    if (settledValue(rss) !== null || readings.length >= MAX_READINGS) {
      const heaps = readings.slice(-3).flatMap((r) => (r.heapKb === null ? [] : [r.heapKb]));
      return { rssKb: settledOrLast(rss), heapKb: heaps.length === 0 ? null : settledOrLast(heaps) };
    }
    await sleep(READING_EVERY_MS);
  }
}

/**
 * SIGUSR2 makes the BFF (started with --heapsnapshot-signal) write a heap snapshot into `dir`
 * (--diagnostic-dir); resolves with its path once the file has stopped growing.
 */
async function writeHeapSnapshot(pid: number, dir: string): Promise<string> {
  const existing = new Set(await readdir(dir));
  process.kill(pid, 'SIGUSR2');
  let size = -1;
  for (const until = Date.now() + 120_000; Date.now() < until;) {
    await sleep(1_000);
    const file = (await readdir(dir)).find((name) => name.endsWith('.heapsnapshot') && !existing.has(name));
    if (file === undefined) continue;
    const now = (await stat(join(dir, file))).size;
    if (now > 0 && now === size) return join(dir, file);
    size = now;
  }
  throw new Error(`the BFF wrote no heap snapshot into ${dir} within 120 s`);
}

/** One line, rewritten in place on a terminal, printed every 5 s otherwise (as drive.ts does). */
class WaitingProgress {
  private lastPrinted = 0;
  private readonly t0 = performance.now();

  constructor(
    private readonly shoppers: number,
    private readonly rssKb: () => number,
  ) {}

  print(phase: string, state: { arrived: number; waiting: number; results: ShopperResult[] } | null, force = false): void {
    const tty = process.stderr.isTTY === true;
    const elapsedS = Math.floor((performance.now() - this.t0) / 1_000);
    if (!force && (tty ? elapsedS === this.lastPrinted && elapsedS > 0 : elapsedS - this.lastPrinted < 5)) return;
    this.lastPrinted = elapsedS;
    const counts =
      state === null
        ? ''
        : `  arrived ${state.arrived}/${this.shoppers}  waiting ${state.waiting}  signed in ${state.results.filter((r) => r.outcome === 'signed-in').length}  errors ${state.results.filter((r) => r.outcome !== 'signed-in').length}`;
    const line = `[waiting] ${elapsedS} s ${phase}${counts}  BFF RSS ${Math.round(this.rssKb() / 1_024)} MB`;
    process.stderr.write(tty ? `\r\x1b[2K${line}` : `${line}\n`);
    if (tty && force) process.stderr.write('\n');
  }
}
