import { describe, expect, it } from 'vitest';
import { parseRedisInfo, redisCommandsPerPayment } from './redis-commands.js';

/** An `INFO stats commandstats` answer of redis-server 7.0, cut down. */
const info = ({ evalsha, get, info: infos, reads, writes }: { evalsha: number; get: number; info: number; reads: number; writes: number }) =>
  [
    '# Stats',
    'total_connections_received:12',
    `total_commands_processed:${evalsha + get + infos}`,
    `total_reads_processed:${reads}`,
    `total_writes_processed:${writes}`,
    'io_threaded_reads_processed:0',
    '',
    '# Commandstats',
    `cmdstat_evalsha:calls=${evalsha},usec=900,usec_per_call=9.00,rejected_calls=0,failed_calls=0`,
    `cmdstat_get:calls=${get},usec=80,usec_per_call=0.80,rejected_calls=0,failed_calls=0`,
    `cmdstat_info:calls=${infos},usec=30,usec_per_call=30.00,rejected_calls=0,failed_calls=0`,
    'cmdstat_client|setinfo:calls=2,usec=3,usec_per_call=1.50,rejected_calls=0,failed_calls=0',
    '',
  ].join('\r\n');

describe('Redis commands per payment', () => {
  it('reads the calls by command, subcommands included, and the socket reads and writes', () => {
    expect(parseRedisInfo(info({ evalsha: 100, get: 300, info: 4, reads: 250, writes: 240 }))).toEqual({
      calls: { evalsha: 100, get: 300, info: 4, 'client|setinfo': 2 },
      reads: 250,
      writes: 240,
    });
  });

  it('takes an answer without the stats section for no reading', () => {
    expect(parseRedisInfo('# Commandstats\r\ncmdstat_get:calls=3,usec=1\r\n')).toBeNull();
  });

  it("divides the window's calls by the payments, most frequent first, leaving out the bench's own INFO, read and write", () => {
    const start = parseRedisInfo(info({ evalsha: 100, get: 300, info: 4, reads: 250, writes: 240 }));
    const end = parseRedisInfo(info({ evalsha: 500, get: 1_100, info: 5, reads: 1_051, writes: 841 }));
    const perPayment = redisCommandsPerPayment(start, end, 200);
    expect(perPayment).toEqual({ byCommand: { get: 4, evalsha: 2 }, total: 6, scripts: 2, reads: 4, writes: 3 });
    expect(Object.keys(perPayment?.byCommand ?? {})).toEqual(['get', 'evalsha']);
  });

  it('gives no figure without both readings or without payments', () => {
    const reading = parseRedisInfo(info({ evalsha: 1, get: 1, info: 1, reads: 1, writes: 1 }));
    expect(redisCommandsPerPayment(null, reading, 10)).toBeNull();
    expect(redisCommandsPerPayment(reading, reading, 0)).toBeNull();
  });
});
