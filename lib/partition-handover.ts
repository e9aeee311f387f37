import type { Admin, KafkaMessage } from 'kafkajs';
import { REPLAYS_HEADER } from './dead-letter.js';
import type { Logger } from './logger.js';
import { ageAt, decodeRecordAges, type RecordAges } from './record-ages.js';

/** What the consumer group knows of a record it hands to a handler, read from no clock but this process' own. */
export interface RecordSighting {
  /** How long ago the group first saw the record, ms: when this member started it, or earlier by the age the partition's previous owner committed. */
  ageMs: () => number;
  /**
   * True when no member before this one can have handled the record: it reached its partition
   * after this member was handed the partition, and it is no replayed dead letter. (A member the
   * group has already expelled but that does not know it yet may still fetch; nothing here can
   * tell.)
   */
  firstHere: boolean;
}

/** One partition as this member was handed it. */
interface Handover {
  /** The ages its previous owner committed with the offset this member resumes from. */
  ages: RecordAges | undefined;
  /** Where the partition ended (its high watermark) when this member was handed it: an earlier owner can only have fetched records before it. */
  endAtHandover: number;
}

/** When the read failed: no age inherited, and nothing counted as first seen here. */
const UNKNOWN: Handover = { ages: undefined, endAtHandover: Number.POSITIVE_INFINITY };

/**
 * Reads, each time this member joins its group, what it needs to know of the partitions it is
 * handed: the record ages committed with their offsets (lib/record-ages.ts) and where each
 * partition ended then. A read that fails leaves the records without inherited ages (their budget
 * then counts from this member's first sight, longer, never shorter) and nothing first seen here;
 * it is tried again for the next batch.
 */
export class PartitionHandovers {
  /** Per topic, its partitions' handovers; undefined when the read failed. */
  private reading = new Map<string, Promise<Map<number, Handover> | undefined>>();

  constructor(
    private readonly admin: Admin,
    private readonly groupId: string,
    private readonly logger: Logger,
  ) {}

  /** The member has joined with this assignment (topic → partitions): read their handovers now. */
  joined(assignment: Record<string, number[]>): void {
    this.reading = new Map(Object.keys(assignment).map((topic) => [topic, this.read(topic)]));
  }

  /** Resolves once the reads of the last join have ended, answered or not (a failed read is retried with the next batch). */
  async settled(): Promise<void> {
    await Promise.all(this.reading.values());
  }

  async of(topic: string, partition: number): Promise<Handover> {
    const reading = this.reading.get(topic) ?? this.read(topic);
    this.reading.set(topic, reading);
    const handovers = await reading;
    if (handovers === undefined && this.reading.get(topic) === reading) this.reading.delete(topic);
    return handovers?.get(partition) ?? UNKNOWN;
  }

  private async read(topic: string): Promise<Map<number, Handover> | undefined> {
    try {
      const [[committed], ends] = await Promise.all([this.admin.fetchOffsets({ groupId: this.groupId, topics: [topic] }), this.admin.fetchTopicOffsets(topic)]);
      const ages = new Map((committed?.partitions ?? []).map(({ partition, metadata }) => [partition, decodeRecordAges(metadata)]));
      return new Map(ends.map(({ partition, high }) => [partition, { ages: ages.get(partition), endAtHandover: Number(high) }]));
    } catch (err) {
      this.logger.warn(
        { err, topic },
        'could not read the record ages committed with the offsets; the records fetched now count their budgets from now, and are asked again for the next batch',
      );
      return undefined;
    }
  }
}

/** When the group first saw `message` (fetched by this member at `now`) and whether it is first seen here. */
export function sightingOf(handover: Handover, message: Pick<KafkaMessage, 'offset' | 'headers'>, now: number): { firstSeenAt: number; firstHere: boolean } {
  const offset = Number(message.offset);
  const inherited = handover.ages === undefined ? undefined : ageAt(handover.ages, offset);
  const replayed = message.headers?.[REPLAYS_HEADER] !== undefined;
  return { firstSeenAt: now - (inherited ?? 0), firstHere: offset >= handover.endAtHandover && !replayed };
}
