import { STOP_LIMIT_MS } from '../lib/stop-limit.js';

/**
 * How the BFF spends the STOP_LIMIT_MS (10 s) it has after SIGTERM, phase by phase:
 *
 *   drain       SHUTDOWN_DRAIN_MS: /readyz answers 503 while the load balancer takes the replica out
 *   in flight   requests ∥ consumers: the listener closes and requests in flight finish (cut off
 *               after `requestsMs`), sockets close; side by side, the status consumer and the
 *               dead-letter reader let their handlers finish (`handlersMs`), commit what finished
 *               and leave their groups; the phase is cut off after `inFlightMs`
 *   closing     the live view's and the history's last writes, the Kafka clients, Redis quit
 *   margin      exit, traces, timers late on a busy machine
 *
 * Every phase is cut off at its bound, so a slow one cannot eat the next one's time: the offsets
 * of finished records and the last history writes are made before the limit. Before, the drain
 * (5 s in the manifests), requests without bound and a 5 s consumer drain added up past 10 s,
 * and runMain exited 1 before the flushes.
 */
export const BFF_STOP_BUDGET = {
  /** Requests in flight may finish for this long after the listener closes; then their connections are closed (their clients retry, with their Idempotency-Key). */
  requestsMs: 2_500,
  /** Status handlers in flight may finish for this long; theirs are Redis writes of milliseconds, each bounded by the 2 s command timeout. */
  handlersMs: 1_500,
  /** Requests and consumers (handlers, commit, leaving the group: about 1 s) side by side. */
  inFlightMs: 3_000,
  /** Last writes to Redis and disconnecting from Kafka and Redis. */
  closingMs: 1_000,
  marginMs: 1_000,
} as const;

/** The longest drain that leaves the rest of the stop its time: 5000 ms. */
export const MAX_SHUTDOWN_DRAIN_MS = STOP_LIMIT_MS - BFF_STOP_BUDGET.inFlightMs - BFF_STOP_BUDGET.closingMs - BFF_STOP_BUDGET.marginMs;
