/**
 * A record of a dead-letter topic, with what its `dlq-*` headers say. In a module of its own:
 * dead-letters.ts reads the replay marker with replay-marker.ts, whose checks take a DeadLetter.
 */
export interface DeadLetter {
  /** The dead-letter topic, partition and offset. */
  topic: string;
  partition: number;
  offset: number;
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
  source: { topic?: string; partition?: string; offset?: string };
  group?: string;
  errorCode: string;
  error?: string;
  /** dlq-failed-at, or the record's timestamp when that header is missing or unreadable. */
  failedAt: Date;
  eventType?: string;
  /** Replays of the record before it landed here (its dlq-replays marker); null when the marker is unreadable. */
  replays: number | null;
  /** When this dead letter was itself replayed (a note appended to the topic), if it was. */
  replayedAt?: Date;
}
