import { createRequire } from 'node:module';

/** The part of kafkajs' internal RequestQueue (kafkajs 2.2.4, src/network/requestQueue) that the fix touches. */
export interface RequestQueueInternals {
  pending: unknown[];
  /** Epoch ms until which the broker asked this connection to hold its requests; -1 when it never did. */
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  checkPendingRequests(): void;
  scheduleCheckPendingRequests(): void;
}

type RequestQueueClass = { prototype: RequestQueueInternals };

/** kafkajs' own check interval for requests held back by the in-flight limit. */
const CHECK_PENDING_REQUESTS_INTERVAL_MS = 10;

/**
 * kafkajs 2.2.4 re-arms a timer after every check of its request queue, even when nothing waits:
 * with no throttling the delay is negative, which Node runs as 1 ms, so every connection of every
 * client wakes its process about a thousand times a second for nothing (tulios/kafkajs#1556,
 * #1704; on Node 24 it also prints TimeoutNegativeWarning). An idle worker spent 33 ms of CPU a
 * second on it. The replacement arms the timer only when a request waits (for the end of the
 * throttle, or for kafkajs' usual 10 ms when the in-flight limit holds it) or a throttle is still
 * running; a request that waits for an in-flight slot is also checked when a response frees it.
 */
export function scheduleCheckPendingRequests(this: RequestQueueInternals): void {
  if (this.throttleCheckTimeoutId) return;
  const untilUnthrottled = this.throttledUntil - Date.now();
  if (this.pending.length === 0 && untilUnthrottled <= 0) return;
  const delay = untilUnthrottled > 0 ? untilUnthrottled : CHECK_PENDING_REQUESTS_INTERVAL_MS;
  this.throttleCheckTimeoutId = setTimeout(() => {
    this.throttleCheckTimeoutId = null;
    this.checkPendingRequests();
  }, delay);
}

/** kafkajs' RequestQueue class: the one module every kafkajs connection in this process uses. */
export function kafkajsRequestQueue(): RequestQueueClass {
  return createRequire(import.meta.url)('kafkajs/src/network/requestQueue/index.js') as RequestQueueClass;
}

let installed = false;

/** Puts the fixed scheduling into kafkajs' RequestQueue, once per process. */
export function fixKafkajsRequestQueue(): void {
  if (installed) return;
  kafkajsRequestQueue().prototype.scheduleCheckPendingRequests = scheduleCheckPendingRequests;
  installed = true;
}
