import { z } from 'zod';

/**
 * How long the consumer group has already seen the unfinished records of one partition, written
 * into the metadata string Kafka keeps with each committed offset (OffsetCommit), so that the
 * member the partition goes to next (a restart, a rebalance) counts their step budgets on from
 * there instead of from zero. Ages are durations measured on the committing process' own
 * monotonic clock, never clock readings: no two machines' clocks are ever compared.
 *
 * `ages` is a list of [offset, age in ms]: the records from that offset up to the next entry's
 * offset (the last: up to `end`) were first seen at least that long before the commit. Records
 * at `end` and after had not been seen. A record that finished between two unfinished ones is
 * taken as old as the unfinished one before it, which is at least its age: records are seen in
 * offset order.
 */
export interface RecordAges {
  ages: Array<[offset: number, ageMs: number]>;
  end: number;
}

/**
 * Entries at most, which keeps the metadata near 2 KB, inside the broker's default
 * offset.metadata.max.bytes (4096): past it the whole commit would be refused.
 */
export const MAX_AGE_ENTRIES = 64;

/** The coarsest merge first tried when there are more unfinished records than entries, ms. */
const FIRST_GRANULARITY_MS = 1_000;

const Offset = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const Schema = z
  .object({
    v: z.literal(1),
    ages: z
      .array(z.tuple([Offset, z.number().int().nonnegative()]))
      .min(1)
      .max(MAX_AGE_ENTRIES),
    end: Offset,
  })
  .refine(({ ages, end }) => ages.every(([offset], i) => offset < (ages[i + 1]?.[0] ?? end)), 'the offsets must ascend and end past the last');

/**
 * The metadata to commit for a partition whose unfinished records (in offset order) were first
 * seen at `firstSeenAt`, `now` being on the same clock; null when none is unfinished. Past
 * MAX_AGE_ENTRIES records, neighbours of about the same age share an entry with the oldest age
 * among them (so a record is at worst taken as older by the granularity that was needed, and given
 * up that much sooner, never later).
 */
export function encodeRecordAges(unfinished: { records: Array<{ offset: number; firstSeenAt: number }>; end: number } | undefined, now: number): string | null {
  if (unfinished === undefined || unfinished.records.length === 0) return null;
  let ages = unfinished.records.map(({ offset, firstSeenAt }): [number, number] => [offset, Math.max(0, Math.round(now - firstSeenAt))]);
  for (let granularity = FIRST_GRANULARITY_MS; ages.length > MAX_AGE_ENTRIES; granularity *= 2) ages = merged(ages, granularity);
  return JSON.stringify({ v: 1, ages, end: unfinished.end });
}

/** Neighbouring entries whose ages fall in the same `granularity` bucket as one entry, at the first offset and the oldest age. */
function merged(ages: Array<[number, number]>, granularity: number): Array<[number, number]> {
  const result: Array<[number, number]> = [];
  for (const [offset, age] of ages) {
    const last = result.at(-1);
    if (last !== undefined && Math.floor(last[1] / granularity) === Math.floor(age / granularity)) last[1] = Math.max(last[1], age);
    else result.push([offset, age]);
  }
  return result;
}

/** The ages a commit's metadata carries, or undefined when it carries none (null, or written by something else). */
export function decodeRecordAges(metadata: string | null | undefined): RecordAges | undefined {
  if (metadata === null || metadata === undefined || metadata === '') return undefined;
  let json: unknown;
  try {
    json = JSON.parse(metadata);
  } catch {
    return undefined;
  }
  const parsed = Schema.safeParse(json);
  return parsed.success ? { ages: parsed.data.ages, end: parsed.data.end } : undefined;
}

/** How long before the commit the group had first seen the record at `offset`; undefined when it had not (or the offset is before the commit point). */
export function ageAt({ ages, end }: RecordAges, offset: number): number | undefined {
  if (offset >= end) return undefined;
  let age: number | undefined;
  for (const [from, ageMs] of ages) {
    if (from > offset) break;
    age = ageMs;
  }
  return age;
}
