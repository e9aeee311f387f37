import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePortRun, freePorts, portRange } from './free-port.js';

const claimOf = (port: number) => join(tmpdir(), 'payflow-port-claims', String(port));
const bindable = (port: number) =>
  new Promise<boolean>((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });

describe('freePorts', () => {
  it('hands out distinct ports below the kernel ephemeral range, free, each claimed by this process', async () => {
    const { from, to } = portRange();
    const ports = await freePorts(30);
    expect(new Set(ports).size).toBe(30);
    for (const port of ports) {
      expect(port).toBeGreaterThanOrEqual(from);
      expect(port).toBeLessThanOrEqual(to);
      expect(readFileSync(claimOf(port), 'utf8')).toBe(String(process.pid));
      expect(await bindable(port)).toBe(true);
    }
  });

  it('never hands out a port again once its caller let it go: the next call, in this process or another, gets others', async () => {
    // Asked of the OS (listen on 0), as before, 19 to 23 of the second call's 400 were the first's.
    const handedOut = [...(await freePorts(400)), ...(await freePorts(400))];
    expect(handedOut.length - new Set(handedOut).size).toBe(0);
  });

  it('freePortRun hands out consecutive free ports, all claimed', async () => {
    const first = await freePortRun(4);
    for (let port = first; port < first + 4; port++) {
      expect(existsSync(claimOf(port))).toBe(true);
      expect(await bindable(port)).toBe(true);
    }
  });
});
