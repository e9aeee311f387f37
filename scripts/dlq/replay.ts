import { createEventProducer } from '../../lib/kafka.js';
import { EventPublisher } from '../../lib/event-publisher.js';
import type { Selection } from './args.js';
import { selectedDeadLetters, type DlqContext } from './context.js';
import type { DeadLetter } from './dead-letter.js';
import { place } from './output.js';
import { refusal, replayedRecord, replayNote } from './replay-marker.js';

export interface ReplayOptions {
  selection: Selection;
  json: boolean;
  dryRun: boolean;
  maxReplays: number;
}

/** Records sent together before the progress line; the publisher batches them into few requests. */
const CHUNK = 100;

type Outcome = 'replayed' | 'would-replay' | 'refused' | 'failed';

/**
 * `replay`: publishes each selected dead letter again to the topic it came from, with its key and
 * value, its replay count raised by one, the consumer group that failed it (only that group
 * handles it; the others of the topic pass it over), and a note appended to the dead-letter topic
 * in the same send, so that the same dead letter is refused next time. A record replayed
 * --max-replays times is refused, so one that keeps failing cannot loop; so is one that is not an
 * event of its topic keyed by its paymentId. Nothing is removed from a dead-letter topic.
 * Returns the exit status: 1 when a send failed; refused records are counted, not failures.
 */
export async function replay(context: DlqContext, { selection, json, dryRun, maxReplays }: ReplayOptions): Promise<number> {
  const { output } = context;
  const selected = await selectedDeadLetters(context, selection);
  const counts: Record<Outcome, number> = { replayed: 0, 'would-replay': 0, refused: 0, failed: 0 };
  const report = (outcome: Outcome, deadLetter: DeadLetter, detail: string) => {
    counts[outcome] += 1;
    const { topic, partition, offset, key } = deadLetter;
    if (json)
      output.out(
        JSON.stringify({
          outcome,
          topic,
          partition,
          offset,
          paymentId: key,
          ...(outcome === 'refused' || outcome === 'failed'
            ? { reason: detail }
            : { to: deadLetter.source.topic, group: deadLetter.group, replays: (deadLetter.replays ?? 0) + 1 }),
        }),
      );
    else
      output.out(
        `${outcome.replace('-', ' ')} ${place(topic, partition, offset)} (paymentId ${key ?? 'none'})${outcome === 'refused' || outcome === 'failed' ? ':' : ''} ${detail}`,
      );
  };

  const replayable: DeadLetter[] = [];
  for (const deadLetter of selected) {
    const why = refusal(deadLetter, { maxReplays, topics: context.topics });
    if (why !== undefined) report('refused', deadLetter, why);
    else replayable.push(deadLetter);
  }
  const toward = (deadLetter: DeadLetter) =>
    `→ ${deadLetter.source.topic}, for ${deadLetter.group} only, as replay ${(deadLetter.replays ?? 0) + 1} of at most ${maxReplays}`;

  if (dryRun) {
    for (const deadLetter of replayable) report('would-replay', deadLetter, toward(deadLetter));
  } else if (replayable.length > 0) {
    const publisher = new EventPublisher({ createProducer: () => createEventProducer(context.kafka), topics: context.topics, logger: context.logger });
    await publisher.connect();
    try {
      for (let start = 0; start < replayable.length && counts.failed === 0; start += CHUNK) {
        const chunk = replayable.slice(start, start + CHUNK);
        const now = new Date();
        const sent = await Promise.allSettled(chunk.map((deadLetter) => publisher.sendRecords([replayedRecord(deadLetter), replayNote(deadLetter, now)])));
        sent.forEach((result, index) => {
          const deadLetter = chunk[index]!;
          if (result.status === 'fulfilled') report('replayed', deadLetter, toward(deadLetter));
          else report('failed', deadLetter, String(result.reason));
        });
        if (replayable.length > CHUNK) output.err(`replayed ${counts.replayed}/${replayable.length} …`);
      }
    } finally {
      await publisher.disconnect();
    }
  }

  const summary = dryRun
    ? `dry run: ${counts['would-replay']} would be replayed, ${counts.refused} refused, of ${selected.length} selected; nothing was sent`
    : `${counts.replayed} replayed, ${counts.refused} refused, ${counts.failed} failed, of ${selected.length} selected${counts.failed > 0 ? `; ${replayable.length - counts.replayed - counts.failed} not tried. Run the same command again: what was replayed is refused, the rest is sent` : ''}`;
  if (json) output.out(JSON.stringify({ summary: { dryRun, selected: selected.length, ...counts } }));
  else output.out(summary);
  return counts.failed > 0 ? 1 : 0;
}
