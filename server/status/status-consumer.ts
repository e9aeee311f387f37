import type { Kafka } from 'kafkajs';
import { topicsReadBy, type Topics } from '../../contracts/index.js';
import { startEventConsumer, type RunningConsumer } from '../../lib/event-consumer.js';
import type { RecordSender } from '../../lib/event-publisher.js';
import type { Logger } from '../../lib/logger.js';
import { consumerMetricHooks } from '../../lib/metrics.js';
import type { PaymentHistory } from '../history/payment-history.js';
import type { BffMetrics } from '../metrics.js';
import type { LiveView } from '../ops/live-view.js';
import type { PaymentStore } from '../payments/payment-store.js';
import { replicated, type ReplicaConfirmation } from '../payments/replica-confirmation.js';
import { pushSnapshot, type PaymentSocketServer } from '../realtime/socket-server.js';
import type { ActionDeadlines } from './action-deadlines.js';
import { applyEvent } from './apply-event.js';
import type { RecentPushes } from './recent-pushes.js';
import { alreadyShows, secondsSinceAccepted } from './project-snapshot.js';

export interface StatusConsumerDeps {
  kafka: Kafka;
  /** Where unreadable records and permanent failures go (the BFF's EventPublisher). */
  deadLetters: RecordSender;
  topics: Topics;
  groupId: string;
  payments: PaymentStore;
  io: PaymentSocketServer;
  signInLandingUrl: string;
  logger: Logger;
  metrics: BffMetrics;
  liveView: LiveView;
  /** Each event read and each status change go into the payment's history. */
  history: PaymentHistory;
  concurrency: number;
  /** On stop, how long handlers in flight may finish (server/stop-budget.ts). */
  drainMs: number;
  /**
   * With Redis replicas: waits, on the connection `payments` writes with, for each event's
   * snapshot to reach them before it is pushed or its offset committed. Absent, nothing waits.
   */
  confirmation?: ReplicaConfirmation;
  /** Told of every push, so that the latest can be pushed again after a failover (recent-pushes.ts). */
  pushes?: RecentPushes;
  /** The payments waiting on the shopper's bank, by deadline, for the sweep that ends those left waiting (action-deadlines.ts). */
  deadlines: ActionDeadlines;
}

/** The topics whose events change what the shopper sees (those the lifecycle's table has the BFF read): the statuses, and the notices of steps that keep failing. */
export function statusTopics(topics: Topics): string[] {
  return topicsReadBy('bff', topics);
}

/**
 * The BFF replicas' one consumer group: turns status events into snapshots in Redis and pushes
 * each change to the payment's room, wherever in the cluster its socket is, and to the live view.
 */
export function startStatusConsumer(deps: StatusConsumerDeps): Promise<RunningConsumer> {
  const { metrics, liveView } = deps;
  const hooks = consumerMetricHooks(metrics);
  return startEventConsumer({
    kafka: deps.kafka,
    groupId: deps.groupId,
    topics: statusTopics(deps.topics),
    deadLetters: deps.deadLetters,
    logger: deps.logger,
    concurrency: deps.concurrency,
    drainMs: deps.drainMs,
    onRetry: hooks.onRetry,
    // The dead letter reaches the live view and the payment's history through the dead-letter reader.
    onDeadLetter: hooks.onDeadLetter,
    onReplaySkipped: hooks.onReplaySkipped,
    handle: async (event, { logger }) => {
      const { change, current } = await applyEvent(deps.payments, event, deps.signInLandingUrl);
      // Also when the event changed nothing: a redelivery after this write failed must make it.
      if (event.type === 'PaymentRequiresAction' && current?.status === 'requires_action') await deps.deadlines.awaiting(event.paymentId, event.data.expiresAt);
      if (change?.from === 'requires_action') await deps.deadlines.settled(event.paymentId);
      // Before anything is pushed or the offset moves on: a failover to a replica without this
      // snapshot would otherwise take back a status the shopper saw, with no event left to redo it.
      // Thrown, the event is retried; applying it again changes nothing, and this waits again.
      if (deps.confirmation !== undefined) await replicated(deps.confirmation, `the snapshot ${event.type} made`);
      const recorded = deps.history.eventRead(event, change);
      if (change === null) {
        // A redelivery of the event that made the current status: the replica that saved it may
        // have died before its push went out, so push it again (the browser drops a seq it has).
        // `current` is what Redis answered applyEvent, so this needs no read of its own.
        if (current !== null && alreadyShows(current, event)) {
          pushSnapshot(deps.io, current);
          deps.pushes?.pushed(current.paymentId);
          metrics.pushes.inc({ kind: 'again' });
          logger.info({ status: current.status, seq: current.seq }, 'event already applied; snapshot pushed again');
        } else {
          logger.debug('event changes nothing (out of date)');
        }
        await recorded;
        return;
      }
      const { from, snapshot } = change;
      pushSnapshot(deps.io, snapshot);
      deps.pushes?.pushed(snapshot.paymentId);
      metrics.pushes.inc({ kind: 'change' });
      if (from === snapshot.status) {
        // A notice (PaymentDelayed): news for the shopper, not a move of the flow, so neither the
        // status metrics nor the live view hear of it.
        logger.info({ status: snapshot.status, seq: snapshot.seq, notice: snapshot.notice?.code }, 'notice changed and pushed');
        await recorded;
        return;
      }
      metrics.statusChanges.inc({ status: snapshot.status });
      const seconds = secondsSinceAccepted(snapshot);
      if (seconds !== undefined) metrics.secondsToStatus.observe({ status: snapshot.status }, seconds);
      logger.info({ from, status: snapshot.status, seq: snapshot.seq, secondsSinceAccepted: seconds }, 'status changed and pushed');
      await Promise.all([liveView.moved(from, snapshot), recorded]);
    },
  });
}
