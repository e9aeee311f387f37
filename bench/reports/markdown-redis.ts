import type { FlowSummary } from '../measuring/summary.js';
import { flowName } from './flow-names.js';
import { tableHead } from './table-cells.js';

const NOTE =
  'calls the Redis of the system counted (`INFO commandstats`, read before and after the run), per payment signed in. ' +
  'A command run inside a Lua script is counted under its own name, beside the EVALSHA that ran it, and a MULTI … EXEC counts each command it holds: ' +
  'Redis 7 keeps no count of the commands clients sent apart from those. *Reads* are reads of client sockets (`total_reads_processed`): ' +
  'what a client sent at once (an auto-pipelined batch, a MULTI … EXEC, a script) is one read, so they are about the round trips. Only the BFF talks to Redis, and with REDIS_NODES > 1 the replicas (REPLCONF) and the Sentinels (PING, PUBLISH), a few times a second whatever the load.';

/** Redis calls per payment of a run, by command, most frequent first, then the totals. */
export function redisCommandTable(run: FlowSummary): string[] {
  const redis = run.redisCommands;
  if (redis === null) return [];
  return [
    '',
    `**Redis commands per signed-in payment, steady** ${run.offeredRate}/s, ${flowName(run.flow)}: ${NOTE}`,
    '',
    ...tableHead(['command', 'per payment']),
    ...Object.entries(redis.byCommand).map(([command, calls]) => `| ${command} | ${calls} |`),
    `| **all commands** | **${redis.total}** |`,
    `| of them scripts run (EVAL, EVALSHA, FCALL) | ${redis.scripts} |`,
    `| **reads of client sockets** (about the round trips) | **${redis.reads}** |`,
    `| writes to client sockets | ${redis.writes} |`,
  ];
}
