import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { haproxyBinary } from './haproxy-binary.js';
import { BFF_BACKEND, DEFAULTS, haproxyConfig } from './haproxy-config.js';

const COMPOSE_CONFIG = new URL('./haproxy.cfg', import.meta.url);

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

  it('of docker-compose, is valid for haproxy and behaves as the generated one', async () => {
    const config = await readFile(COMPOSE_CONFIG, 'utf8');
    await haproxyAccepts(config);
    expect(config).toContain(DEFAULTS);
    expect(config).toContain(BFF_BACKEND);
  });
});
