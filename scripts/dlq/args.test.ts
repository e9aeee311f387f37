import { describe, expect, it } from 'vitest';
import { UsageError } from '../../lib/usage-error.js';
import { DEFAULT_MAX_REPLAYS, parseCommand } from './args.js';

describe('parseCommand', () => {
  it('when nothing, help, --help or -h is given, it asks for the usage', () => {
    for (const argv of [[], ['help'], ['--help'], ['list', '-h']]) expect(parseCommand(argv)).toEqual({ name: 'help' });
  });

  it('when list has no options, it selects everything, as text', () => {
    expect(parseCommand(['list'])).toEqual({ name: 'list', selection: {}, json: false });
  });

  it('when show has every filter, each lands in the selection', () => {
    const command = parseCommand([
      'show',
      '--topic',
      'payments.initiated',
      '--payment-id',
      'p-1',
      '--error-code',
      'POISON_RECORD',
      '--offset',
      '2:10..20',
      '--limit',
      '5',
      '--json',
    ]);
    expect(command).toEqual({
      name: 'show',
      json: true,
      selection: { topic: 'payments.initiated', paymentId: 'p-1', errorCode: 'POISON_RECORD', offsets: { partition: 2, from: 10, to: 20 }, limit: 5 },
    });
  });

  it.each([
    ['10..20', { from: 10, to: 20 }],
    ['10..', { from: 10, to: undefined }],
    ['..20', { from: undefined, to: 20 }],
    ['15', { from: 15, to: 15 }],
    ['0:3', { partition: 0, from: 3, to: 3 }],
  ])('when --offset is %s, the range is %j', (text, offsets) => {
    expect(parseCommand(['show', '--offset', text])).toMatchObject({ selection: { offsets } });
  });

  it('when replay has no options, it sends for real with the default limit of replays', () => {
    expect(parseCommand(['replay'])).toEqual({ name: 'replay', selection: {}, json: false, dryRun: false, maxReplays: DEFAULT_MAX_REPLAYS });
  });

  it('when replay has --dry-run and --max-replays, both are kept', () => {
    expect(parseCommand(['replay', '--dry-run', '--max-replays', '5'])).toMatchObject({ dryRun: true, maxReplays: 5 });
  });

  it.each([
    [['frob'], /unknown command "frob"/],
    [['list', '--bogus'], /--bogus/],
    [['list', 'extra'], /unexpected argument "extra"/],
    [['show', '--offset', '20..10'], /FROM is after TO/],
    [['show', '--offset', 'a..b'], /--offset must be/],
    [['show', '--limit', '0'], /--limit must be 1 or more/],
    [['show', '--limit', 'ten'], /--limit must be a whole number/],
    [['replay', '--max-replays', '-1'], /--max-replays/],
    [['show', '--dry-run'], /--dry-run is an option of replay/],
    [['list', '--max-replays', '2'], /--max-replays is an option of replay/],
    [['show', '--topic'], /--topic/],
    [['show', '--topic', ' '], /--topic needs a topic name/],
  ])('when the command line is %j, it is refused with a usage error', (argv, message) => {
    expect(() => parseCommand(argv)).toThrow(UsageError);
    expect(() => parseCommand(argv)).toThrow(message);
  });
});
