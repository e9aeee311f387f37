import { parseArgs } from 'node:util';
import { z } from 'zod';
import { UsageError } from '../../lib/usage-error.js';

/** Dead-letter offsets to select, both ends included; `partition` unset means every partition. */
export interface OffsetRange {
  partition?: number;
  from?: number;
  to?: number;
}

/** Which dead letters a command works on. Unset fields select everything. */
export interface Selection {
  /** The source topic as typed (a name, a key or a dead-letter topic's name); resolved against the topics later. */
  topic?: string;
  paymentId?: string;
  errorCode?: string;
  offsets?: OffsetRange;
  limit?: number;
}

export type Command =
  | { name: 'help' }
  | { name: 'list' | 'show'; selection: Selection; json: boolean }
  | { name: 'replay'; selection: Selection; json: boolean; dryRun: boolean; maxReplays: number };

/** How many times a record may have been replayed before replay refuses it (--max-replays). */
export const DEFAULT_MAX_REPLAYS = 3;

const COMMANDS = ['help', 'list', 'show', 'replay'] as const;
const REPLAY_ONLY = ['dry-run', 'max-replays'] as const;

const OFFSET_RANGE = /^(?:(\d+):)?(?:(\d*)\.\.(\d*)|(\d+))$/;

const count = (name: string) =>
  z
    .string()
    .regex(/^\d+$/, `${name} must be a whole number`)
    .transform(Number)
    .pipe(z.number().int().min(0, `${name} must be 0 or more`));

const Options = z.object({
  topic: z.string().trim().min(1, '--topic needs a topic name').optional(),
  'payment-id': z.string().trim().min(1, '--payment-id needs a paymentId').optional(),
  'error-code': z.string().trim().min(1, '--error-code needs a code').optional(),
  offset: z
    .string()
    .regex(OFFSET_RANGE, '--offset must be FROM..TO, FROM.., ..TO or N, optionally after PARTITION: (e.g. 10..20, 2:10..20)')
    .transform(parseOffsetRange)
    .optional(),
  limit: count('--limit').pipe(z.number().min(1, '--limit must be 1 or more')).optional(),
  json: z.boolean().default(false),
  'dry-run': z.boolean().default(false),
  'max-replays': count('--max-replays').default(DEFAULT_MAX_REPLAYS),
  help: z.boolean().default(false),
});

function parseOffsetRange(text: string): OffsetRange {
  const [, partition, from, to, single] = OFFSET_RANGE.exec(text) ?? [];
  const number = (digits: string | undefined) => (digits === undefined || digits === '' ? undefined : Number(digits));
  const range: OffsetRange = single !== undefined ? { from: Number(single), to: Number(single) } : { from: number(from), to: number(to) };
  return partition === undefined ? range : { ...range, partition: Number(partition) };
}

/** Parses `npm run dlq -- <command> [options]` (argv without node and the script). Throws a UsageError. */
export function parseCommand(argv: string[]): Command {
  let parsed: ReturnType<typeof parseRaw>;
  try {
    parsed = parseRaw(argv);
  } catch (err) {
    // node:util's messages name the option and say what is wrong with it.
    throw new UsageError(err instanceof Error ? err.message.split('. To specify')[0]! : String(err));
  }
  const [name, ...extra] = parsed.positionals;
  const result = Options.safeParse(parsed.values);
  if (!result.success) throw new UsageError(result.error.issues.map((issue) => issue.message).join('; '));
  const options = result.data;
  if (options.help || name === undefined || name === 'help') return { name: 'help' };
  if (!(COMMANDS as readonly string[]).includes(name)) throw new UsageError(`unknown command "${name}"; the commands are ${COMMANDS.join(', ')}`);
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}" after ${name}`);
  if (options.offset?.from !== undefined && options.offset.to !== undefined && options.offset.from > options.offset.to) {
    throw new UsageError(`--offset ${parsed.values.offset}: FROM is after TO`);
  }

  const selection: Selection = {
    ...(options.topic !== undefined && { topic: options.topic }),
    ...(options['payment-id'] !== undefined && { paymentId: options['payment-id'] }),
    ...(options['error-code'] !== undefined && { errorCode: options['error-code'] }),
    ...(options.offset !== undefined && { offsets: options.offset }),
    ...(options.limit !== undefined && { limit: options.limit }),
  };
  if (name === 'replay') return { name, selection, json: options.json, dryRun: options['dry-run'], maxReplays: options['max-replays'] };
  const misplaced = REPLAY_ONLY.find((option) => parsed.values[option] !== undefined);
  if (misplaced !== undefined) throw new UsageError(`--${misplaced} is an option of replay, not of ${name}`);
  return { name: name as 'list' | 'show', selection, json: options.json };
}

function parseRaw(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      topic: { type: 'string' },
      'payment-id': { type: 'string' },
      'error-code': { type: 'string' },
      offset: { type: 'string' },
      limit: { type: 'string' },
      json: { type: 'boolean' },
      'dry-run': { type: 'boolean' },
      'max-replays': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}
