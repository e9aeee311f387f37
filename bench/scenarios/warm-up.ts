import type { LoadTarget } from '../drivers/system.js';
import type { FlowName } from '../options.js';
import { runFlow, type BenchContext } from './run-flow.js';

/**
 * A low rate per flow, unrecorded, so that neither flow is measured cold. Kafka's JVM compiles its
 * hot code for minutes after it starts: at 20 payments/s its C2 compiler threads still took 70 ms
 * of CPU a second after one minute, which a short run would count as cost per payment. A
 * long-running broker has paid that long ago, so the improved flow is warmed for `--warm-up` s
 * (30 by default) at 50/s before anything is measured; the synchronous flow needs no more than a few seconds.
 */
const warmUpOf = (flow: FlowName, warmUpS: number) => (flow === 'async' ? { rate: 50, durationS: warmUpS } : { rate: 20, durationS: 5 });

export async function warmUp(ctx: BenchContext<LoadTarget>): Promise<void> {
  for (const flow of ctx.options.flows) await runFlow(ctx, { flow, label: `warm-up ${flow}`, ...warmUpOf(flow, ctx.options.warmUp) });
  for (const flow of ctx.options.flows) delete ctx.raw[`warm-up ${flow}`];
}
