import { randomInt } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Ports for the test systems, the bench and the QA runs, which start servers on ports chosen
 * beforehand. Asking the OS for a free port (listen on 0) hands out one of its ephemeral range,
 * which it hands to the next process asking too, once the probe closes: a chaos file in CI found
 * its BFF's port taken by another file's system started meanwhile ("bff: port 44167 is already in
 * use"). So ports come from below the ephemeral range, which nothing takes without asking for it
 * by number, and each is claimed for the whole run with a file under CLAIMS_DIR, which every
 * process of every run reads: no two callers are handed the same port.
 */
const CLAIMS_DIR = join(tmpdir(), 'payflow-port-claims');
/** A claim older than this is left from an earlier run (a whole `npm test` takes about 16 min) and may be taken again. */
const CLAIM_TTL_MS = 30 * 60_000;
/** The lowest port handed out. */
const LOWEST = 20_000;
/** Ports payflow's own defaults use in that range (the Sentinels, the perf floor's Redis): never handed out. */
const RESERVED = { from: 26_370, to: 26_390 };

/** Where the kernel's ephemeral range starts (Linux: /proc/sys/net/ipv4/ip_local_port_range; 32768 elsewhere). */
function ephemeralStart(): number {
  try {
    const start = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    return Number.isInteger(start) && start > LOWEST + 1_000 ? start : 32_768;
  } catch {
    return 32_768;
  }
}

/** The range ports are drawn from: [from, to]. */
export function portRange(): { from: number; to: number } {
  return { from: LOWEST, to: ephemeralStart() - 1 };
}

/** Claims `port` for this run; false when another caller holds a live claim on it. */
function claim(port: number): boolean {
  const file = join(CLAIMS_DIR, String(port));
  const write = () => writeFileSync(file, String(process.pid), { flag: 'wx' });
  try {
    write();
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  try {
    if (Date.now() - statSync(file).mtimeMs < CLAIM_TTL_MS) return false;
    unlinkSync(file);
    write();
    return true;
  } catch {
    return false;
  }
}

/** A port of the range, not reserved, that this call claimed. */
function claimedPort(range: { from: number; to: number }, length = 1): number | undefined {
  const first = randomInt(range.from, range.to - length + 2);
  const ports = Array.from({ length }, (_, index) => first + index);
  if (ports.some((port) => port >= RESERVED.from && port <= RESERVED.to)) return undefined;
  return ports.every(claim) ? first : undefined;
}

/** Listens on `port` on 127.0.0.1; resolves with the server, or undefined when something else holds the port. */
async function hold(port: number): Promise<Server | undefined> {
  const server = createServer();
  const bound = await new Promise<boolean>((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => resolve(true));
  });
  return bound ? server : undefined;
}

async function release(servers: Server[]): Promise<void> {
  await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
}

/**
 * `count` distinct TCP ports on 127.0.0.1, claimed for this run and free right now. Something
 * that binds a port by number without claiming it could still take one before the caller does.
 */
export async function freePorts(count: number): Promise<number[]> {
  mkdirSync(CLAIMS_DIR, { recursive: true });
  const range = portRange();
  const servers: Server[] = [];
  try {
    for (let tries = 0; servers.length < count; tries++) {
      if (tries > 50 * count) throw new Error(`found only ${servers.length} of ${count} free ports in ${range.from}–${range.to}`);
      const port = claimedPort(range);
      const server = port === undefined ? undefined : await hold(port);
      if (server !== undefined) servers.push(server);
    }
    return servers.map((server) => (server.address() as { port: number }).port);
  } finally {
    await release(servers);
  }
}

export async function freePort(): Promise<number> {
  const [port] = await freePorts(1);
  return port!;
}

/**
 * `length` consecutive TCP ports on 127.0.0.1, claimed and free, for what takes its ports as a
 * first one and the next ones (`npm start`'s REDIS_PORT and REDIS_SENTINEL_PORT); resolves with
 * the first. A few tries, then an error.
 */
export async function freePortRun(length: number, tries = 20): Promise<number> {
  mkdirSync(CLAIMS_DIR, { recursive: true });
  const range = portRange();
  for (let attempt = 0; attempt < tries; attempt++) {
    const first = claimedPort(range, length);
    if (first === undefined) continue;
    const servers: Server[] = [];
    try {
      for (let port = first; port < first + length; port++) {
        const server = await hold(port);
        if (server === undefined) break;
        servers.push(server);
      }
      if (servers.length === length) return first;
    } finally {
      await release(servers);
    }
  }
  throw new Error(`found no ${length} consecutive free ports in ${tries} tries`);
}
