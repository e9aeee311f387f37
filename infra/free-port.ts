import { createServer, type Server } from 'node:net';

/**
 * `count` distinct TCP ports on 127.0.0.1 that nothing listens on right now. All are held open
 * until every one is found: asked one at a time, the OS may hand out the same port twice.
 * Another process could still take one before the caller binds it; good enough for tests,
 * which start their servers at once.
 */
export async function freePorts(count: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const server = createServer();
      servers.push(server);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', resolve);
      });
    }
    return servers.map((server) => {
      const address = server.address();
      if (address === null || typeof address === 'string') throw new Error('server has no TCP address');
      return address.port;
    });
  } finally {
    await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
  }
}

export async function freePort(): Promise<number> {
  const [port] = await freePorts(1);
  return port!;
}

/**
 * `length` consecutive TCP ports on 127.0.0.1 that nothing listens on right now, for what takes
 * its ports as a first one and the next ones (`npm start`'s REDIS_PORT and REDIS_SENTINEL_PORT).
 * Starts from a port the OS hands out and checks the ones after it; a few tries, then an error.
 */
export async function freePortRun(length: number, tries = 20): Promise<number> {
  for (let attempt = 0; attempt < tries; attempt++) {
    const first = await freePort();
    if (first + length - 1 > 65535) continue;
    if (await allFree(Array.from({ length: length - 1 }, (_, index) => first + 1 + index))) return first;
  }
  throw new Error(`found no ${length} consecutive free ports in ${tries} tries`);
}

async function allFree(ports: number[]): Promise<boolean> {
  const servers: Server[] = [];
  try {
    for (const port of ports) {
      const server = createServer();
      servers.push(server);
      const bound = await new Promise<boolean>((resolve) => {
        server.once('error', () => resolve(false));
        server.listen(port, '127.0.0.1', () => resolve(true));
      });
      if (!bound) return false;
    }
    return true;
  } finally {
    await Promise.all(servers.map((server) => new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve()))));
  }
}
