import { describe, expect, it } from 'vitest';
import { parseSentinelView } from './sentinel-probe.js';

/** A Sentinel's reply for one instance: [field, value, …]. */
const reply = (fields: Record<string, string>) => Object.entries(fields).flat();

describe("a Sentinel's view of the primary it monitors", () => {
  it('names the primary, the replicas that serve and the other Sentinels', () => {
    const master = reply({ name: 'payflow', ip: '127.0.0.1', port: '6380', flags: 'master', 'num-slaves': '2', 'num-other-sentinels': '2' });
    const replicas = [
      reply({ ip: '127.0.0.1', port: '6381', flags: 'slave', 'master-link-status': 'ok' }),
      // The old primary, killed: Sentinel keeps it as a replica of the new one, down.
      reply({ ip: '127.0.0.1', port: '6379', flags: 's_down,slave,disconnected', 'master-link-status': 'err' }),
      // Reached again, but not yet in sync with its primary.
      reply({ ip: '127.0.0.1', port: '6382', flags: 'slave', 'master-link-status': 'err' }),
    ];
    expect(parseSentinelView(master, replicas)).toEqual({
      primaryPort: 6380,
      replicas: [
        { port: 6381, up: true },
        { port: 6379, up: false },
        { port: 6382, up: false },
      ],
      otherSentinels: 2,
    });
  });

  it('is undefined for a reply that names no primary', () => {
    expect(parseSentinelView([], [])).toBeUndefined();
    expect(parseSentinelView('ERR No such master with that name', [])).toBeUndefined();
  });
});
