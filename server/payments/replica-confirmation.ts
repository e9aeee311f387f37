import type { Redis } from 'ioredis';
import { z } from 'zod';
import { PayflowError } from '../../contracts/payflow-error.js';
import { unsetIfEmpty } from '../../lib/env.js';
import { isSentinelUrl } from '../../lib/redis-connection.js';
import type { PrimaryWatch } from './primary-watch.js';

/**
 * How the accept path waits for its writes to reach Redis replicas. REDIS_WAIT_REPLICAS: how many
 * must confirm; default 1 when Redis is reached through Sentinel (it has replicas, and a failover
 * promotes one), 0 for one node (nothing to wait for). REDIS_WAIT_TIMEOUT_MS: how long they may
 * take; default 250, at most 1500 so that the answer comes before the connection's 2 s command timeout.
 */
export const replicaConfirmationEnvShape = {
  REDIS_WAIT_REPLICAS: z.preprocess(unsetIfEmpty, z.coerce.number().int().min(0).max(5).optional()),
  REDIS_WAIT_TIMEOUT_MS: z.preprocess(
    unsetIfEmpty,
    z.coerce.number().int().min(1).max(1_500, 'must be at most 1500: the BFF gives up on a Redis command after 2 s').default(250),
  ),
};

export interface ReplicaConfirmationSettings {
  /** How many replicas must hold the writes. */
  replicas: number;
  /** How long WAIT may block for them. */
  timeoutMs: number;
}

/** The settings the variables give for a Redis at `redisUrl`; replicas 0 means the accept path does not wait. */
export function replicaConfirmationSettings(config: {
  REDIS_URL: string;
  REDIS_WAIT_REPLICAS?: number | undefined;
  REDIS_WAIT_TIMEOUT_MS: number;
}): ReplicaConfirmationSettings {
  return { replicas: config.REDIS_WAIT_REPLICAS ?? (isSentinelUrl(config.REDIS_URL) ? 1 : 0), timeoutMs: config.REDIS_WAIT_TIMEOUT_MS };
}

/**
 * Waits until the writes a connection has made are on enough replicas, with Redis' WAIT. WAIT
 * counts the writes of the connection it is sent on, so it must share the connection of the writes
 * it confirms; and it blocks that connection in Redis until the replicas answer, so that connection
 * should carry nothing else (server/bff.ts gives the accept path one of its own).
 *
 * Callers that arrive while a WAIT is on its way share the next one: a WAIT counts every write of
 * the connection before it, and a WAIT already sent may have been sent before the caller's writes.
 * So at most one WAIT is in flight and one waits to be sent, however many payments arrive at once.
 */
/** How much longer than its own timeout a WAIT may take before the primary is thought to have stopped answering. */
const STALLED_AFTER_MS = 1_000;

export class ReplicaConfirmation {
  private inFlight: Promise<number> | undefined;
  private queued: Promise<number> | undefined;

  /**
   * `watch`, through Sentinel: a WAIT that fails, or takes a second longer than its own timeout
   * (the primary stopped answering meanwhile), puts the primary in doubt, and while it is in doubt
   * a confirmation counts no replica (primary-watch.ts).
   */
  constructor(
    private readonly redis: Redis,
    private readonly settings: ReplicaConfirmationSettings,
    private readonly watch?: PrimaryWatch,
  ) {}

  get replicas(): number {
    return this.settings.replicas;
  }

  /**
   * How many replicas confirmed every write this connection made before the call; at most the
   * number asked for, and none while the primary is in doubt. Rejects as the connection's commands
   * do (Redis away, command timeout).
   */
  async confirm(): Promise<number> {
    const replicas = await this.shared();
    return this.watch === undefined || this.watch.trusted ? replicas : 0;
  }

  private shared(): Promise<number> {
    if (this.inFlight === undefined) return this.send();
    this.queued ??= this.inFlight
      .catch(() => undefined)
      .then(() => {
        this.queued = undefined;
        return this.send();
      });
    return this.queued;
  }

  private send(): Promise<number> {
    const sentAt = performance.now();
    const sent = this.redis
      .wait(this.settings.replicas, this.settings.timeoutMs)
      .then(
        // Timed from its own sending, not a caller's wait behind the WAIT before it.
        (replicas) => {
          const ms = performance.now() - sentAt;
          if (ms > this.settings.timeoutMs + STALLED_AFTER_MS) this.watch?.distrust(`WAIT answered after ${Math.round(ms)} ms`);
          return replicas;
        },
        (err: unknown) => {
          this.watch?.distrust(`WAIT failed: ${(err as Error).message}`);
          throw err;
        },
      )
      .finally(() => {
        if (this.inFlight === sent) this.inFlight = undefined;
      });
    this.inFlight = sent;
    return sent;
  }
}

/** Writes that fewer replicas than asked for confirmed in time: the same work, tried again, may find them back. */
export class NotReplicatedError extends PayflowError<'REDIS_NOT_REPLICATED'> {
  constructor(what: string, replicas: number, wanted: number) {
    super('REDIS_NOT_REPLICATED', `${what} reached ${replicas} of the ${wanted} Redis replica(s) asked for in time; trying again`, { retryable: true });
  }
}

/** Resolves once the connection's writes so far are on the replicas asked for; throws NotReplicatedError when fewer confirm in time. */
export async function replicated(confirmation: ReplicaConfirmation, what: string): Promise<void> {
  const replicas = await confirmation.confirm();
  if (replicas < confirmation.replicas) throw new NotReplicatedError(what, replicas, confirmation.replicas);
}
