import { describe, expect, it } from 'vitest';
import { parseReplication } from './redis-probe.js';

describe("a node's INFO replication", () => {
  it('a replica names its primary and whether its link is up', () => {
    const info = '# Replication\r\nrole:slave\r\nmaster_host:127.0.0.1\r\nmaster_port:6379\r\nmaster_link_status:up\r\nslave_repl_offset:42\r\n';
    expect(parseReplication(info)).toEqual({ role: 'slave', primaryPort: 6379, linkUp: true });
    expect(parseReplication(info.replace('master_link_status:up', 'master_link_status:down'))).toEqual({ role: 'slave', primaryPort: 6379, linkUp: false });
  });

  it('a primary has no primary of its own', () => {
    expect(parseReplication('# Replication\r\nrole:master\r\nconnected_slaves:2\r\n')).toEqual({ role: 'master', linkUp: false });
  });

  it('an answer without a role is no state', () => {
    expect(parseReplication('')).toBeUndefined();
  });
});
