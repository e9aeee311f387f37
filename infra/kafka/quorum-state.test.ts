import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { quorumLeader } from './quorum-state.js';

let home: string | undefined;
afterEach(async () => {
  if (home !== undefined) await rm(home, { recursive: true, force: true });
});

/** A node's data dir with the quorum state it would have written, or none. */
async function dataDir(name: string, state?: { leaderId: number; leaderEpoch: number }): Promise<string> {
  home ??= await mkdtemp(join(tmpdir(), 'quorum-state-'));
  const dir = join(home, name);
  await mkdir(join(dir, '__cluster_metadata-0'), { recursive: true });
  if (state !== undefined) await writeFile(join(dir, '__cluster_metadata-0', 'quorum-state'), JSON.stringify({ ...state, votedId: -1, data_version: 1 }));
  return dir;
}

describe('the leader of the controller quorum, from the nodes’ own quorum state', () => {
  it('is the one of the highest epoch: a node that was down remembers an older leader', async () => {
    const dirs = [
      await dataDir('node-1', { leaderId: 2, leaderEpoch: 3 }),
      await dataDir('node-2', { leaderId: 3, leaderEpoch: 5 }),
      await dataDir('node-3', { leaderId: 3, leaderEpoch: 5 }),
    ];
    expect(await quorumLeader(dirs)).toBe(3);
  });

  it('is unknown while no node has written a leader', async () => {
    expect(await quorumLeader([await dataDir('node-1'), await dataDir('node-2', { leaderId: -1, leaderEpoch: 1 })])).toBeUndefined();
  });
});
