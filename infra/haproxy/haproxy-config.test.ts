import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { haproxyBinary } from './haproxy-binary.js';
import { haproxyConfig } from './haproxy-config.js';

async function haproxyAccepts(config: string): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'payflow-haproxy-'));
  try {
    await writeFile(join(dir, 'haproxy.cfg'), config);
    await promisify(execFile)(haproxyBinary(), ['-c', '-f', join(dir, 'haproxy.cfg')]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('the load balancer configuration', () => {
  it('generated for two replicas, is valid for haproxy and health-checks each on /readyz', async () => {
    const config = haproxyConfig({ host: '127.0.0.1', port: 3000 }, [
      { name: 'bff-1', host: '127.0.0.1', port: 3001 },
      { name: 'bff-2', host: '127.0.0.1', port: 3002 },
    ]);
    await haproxyAccepts(config);
    expect(config).toContain('bind 127.0.0.1:3000');
    expect(config).toContain('server bff-2 127.0.0.1:3002 check');
    expect(config).toContain('http-check send meth GET uri /readyz');
  });

});
