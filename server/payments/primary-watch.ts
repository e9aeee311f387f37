import type { Redis } from 'ioredis';
import type { Logger } from '../../lib/logger.js';
import { nodeAddressOf } from '../../lib/redis-connection.js';
import { sleep } from '../../lib/sleep.js';

/**
 * True when `connection` answers a PING within `ms`. A timer that fires late (this process was
 * busy) is not the node's fault: the answer already in the socket is read before it is judged.
 */
async function answersWithin(connection: Redis, ms: number): Promise<boolean> {
  let answered = false;
  const ping = connection.ping().then(
    () => (answered = true),
    () => false,
  );
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => (timer = setTimeout(() => setImmediate(() => resolve(false)), ms)));
  try {
    await Promise.race([ping, late]);
    return answered;
  } finally {
    clearTimeout(timer);
  }
}

export interface PrimaryWatchOptions {
  /** The BFF's connections to the primary: the writes of each must stay, so each must serve from it. */
  connections: Redis[];
  /**
   * Those of them that must answer a PING before the primary is trusted again (not one that blocks
   * on purpose, as the adapter's stream reads do): a frozen primary the Sentinels do not think down
   * yet answers none, and whatever it answers after it resumes comes before the PING's answer.
   */
  pinged: Redis[];
  /** Whether the Sentinels vouch for `node` (host:port) as the primary (lib/sentinel-majority.ts). */
  seesWell: (node: string) => Promise<boolean>;
  logger: Logger;
  /**
   * Told once the watch trusts a primary other than the one it doubted, with when the doubt began
   * (performance.now()): what the old primary took from then on, and a little before, may be gone.
   */
  onFailedOver?: (doubtedSince: number) => void;
  /** How often the Sentinels are asked again while in doubt, ms; default 250. */
  recheckMs?: number;
  /** How long a PING may take, ms; default 1000. */
  pingWithinMs?: number;
  /** While trusted, how often the `pinged` connections are sent a PING, ms; default 500. */
  probeMs?: number;
}

/**
 * Whether the BFF may believe its Redis primary. A replica's WAIT confirmation is worth something
 * only if the node that answered it is still the primary a failover would keep: a primary frozen
 * past the Sentinels' down-after window and then resumed answers, as a primary, everything its
 * clients sent it meanwhile, with replicas that had not yet been moved to the new primary
 * confirming; it is made a replica seconds later and drops all of it (test/chaos/redis-failover:
 * 42 of 300 payments lost their last status this way).
 *
 * So a primary that stops answering is doubted: a PING unanswered for a second (one is sent every
 * `probeMs`), a WAIT that fails or takes far longer than its own timeout, or a connection lost
 * (`distrust`). While in doubt, `trusted` is false and confirmations
 * count no replica, so nothing is answered or pushed on its word. The doubt ends when every
 * connection serves from one node, that node answers a PING on the `pinged` ones, and the
 * Sentinels vouch for it as the primary; checked every `recheckMs` while in doubt.
 */
export class PrimaryWatch {
  private doubt: { since: number; node: string | undefined } | undefined;
  /** Counts distrust calls, so that a check that began before the latest one does not end the doubt. */
  private distrusts = 0;
  private checking = false;
  private stopped = false;
  private readonly recheckMs: number;

  private readonly probe: NodeJS.Timeout;
  private probing = false;

  constructor(private readonly options: PrimaryWatchOptions) {
    this.recheckMs = options.recheckMs ?? 250;
    // A frozen primary is doubted within a second or so of its freeze, long before the Sentinels'
    // down-after window: commands that time out meanwhile are not seen here, and those sent in
    // the last 2 s before it resumes would otherwise be answered, and their WAITs, on its word.
    this.probe = setInterval(() => void this.probeOnce(), options.probeMs ?? 500);
    this.probe.unref();
  }

  /** False while the primary is in doubt: its confirmations do not count. */
  get trusted(): boolean {
    return this.doubt === undefined;
  }

  /** The primary may be failing over: its answers are not believed until the Sentinels vouch for it again. */
  distrust(reason: string): void {
    if (this.stopped) return;
    this.distrusts += 1;
    if (this.doubt === undefined) {
      const node = nodeAddressOf(this.options.connections[0]!);
      this.doubt = { since: performance.now(), node };
      this.options.logger.warn(
        { node, reason },
        'Redis primary in doubt: no WAIT counts until every connection serves from one node that answers and the Sentinels vouch for',
      );
    }
    void this.check();
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.probe);
  }

  private async probeOnce(): Promise<void> {
    if (this.probing || this.doubt !== undefined || this.stopped) return;
    this.probing = true;
    try {
      const withinMs = this.options.pingWithinMs ?? 1_000;
      const answered = await Promise.all(this.options.pinged.map((connection) => answersWithin(connection, withinMs)));
      if (!answered.every(Boolean)) this.distrust(`a PING went unanswered for ${withinMs} ms`);
    } finally {
      this.probing = false;
    }
  }

  private async check(): Promise<void> {
    if (this.checking) return;
    this.checking = true;
    try {
      while (this.doubt !== undefined && !this.stopped) {
        const asOf = this.distrusts;
        const node = this.servingNode();
        if (node !== undefined && (await this.seenWell(node)) && asOf === this.distrusts && this.servingNode() === node) {
          this.trust(node);
          return;
        }
        await sleep(this.recheckMs);
      }
    } finally {
      this.checking = false;
    }
  }

  private async seenWell(node: string): Promise<boolean> {
    try {
      const answered = await Promise.all(this.options.pinged.map((connection) => answersWithin(connection, this.options.pingWithinMs ?? 1_000)));
      return answered.every(Boolean) && (await this.options.seesWell(node));
    } catch (err) {
      this.options.logger.warn({ err, node }, 'the Sentinels could not be asked about the Redis primary; asking again');
      return false;
    }
  }

  /** The node every connection is ready on, or undefined while they differ or one is not ready. */
  private servingNode(): string | undefined {
    const nodes = new Set(this.options.connections.map((connection) => (connection.status === 'ready' ? nodeAddressOf(connection) : undefined)));
    const [node] = nodes;
    return nodes.size === 1 ? node : undefined;
  }

  private trust(node: string): void {
    const doubt = this.doubt!;
    this.doubt = undefined;
    const failedOver = doubt.node !== node;
    this.options.logger.info(
      { node, doubtedFor: Math.round(performance.now() - doubt.since), failedOver, was: doubt.node },
      failedOver ? 'Redis primary trusted again: a new primary' : 'Redis primary trusted again',
    );
    if (failedOver) this.options.onFailedOver?.(doubt.since);
  }
}
