import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The quorum leader with the highest epoch any node has recorded: a node that was down may remember an older one. */
export async function quorumLeader(dataDirs: string[]): Promise<number | undefined> {
  let best: { leaderId: number; leaderEpoch: number } | undefined;
  for (const dataDir of dataDirs) {
    try {
      const state = JSON.parse(await readFile(join(dataDir, '__cluster_metadata-0', 'quorum-state'), 'utf8')) as { leaderId?: number; leaderEpoch?: number };
      const { leaderId = -1, leaderEpoch = -1 } = state;
      if (leaderId > 0 && (best === undefined || leaderEpoch > best.leaderEpoch)) best = { leaderId, leaderEpoch };
    } catch {
      // not written yet, or being rewritten: the other nodes say
    }
  }
  return best?.leaderId;
}
