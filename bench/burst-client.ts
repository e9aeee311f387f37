import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { Post } from './shopper.js';

const OPEN_AT_ONCE = 50;

/**
 * Connections opened before the burst, one per POST: a shopper who presses Pay has loaded the page
 * from the same origin and holds an open connection, so the figure is the server's answer, not
 * the load generator's TCP handshakes. They are opened OPEN_AT_ONCE at a time: hundreds of
 * connects at once overflow the listen backlog of a busy server, and a dropped SYN is retried
 * only a second later (then 2, 4, 8 s).
 */
export class ConnectionPool {
  private readonly sockets: Socket[] = [];

  /** Opens up to `size` connections to `url`'s host; resolves with how many opened. */
  async open(url: string, size: number): Promise<number> {
    const { hostname, port } = new URL(url);
    for (let i = 0; i < size; i += OPEN_AT_ONCE) {
      const batch = Array.from({ length: Math.min(OPEN_AT_ONCE, size - i) }, () => connected(connect({ host: hostname, port: Number(port) })));
      for (const result of await Promise.allSettled(batch)) if (result.status === 'fulfilled') this.sockets.push(result.value);
    }
    return this.sockets.length;
  }

  /** POSTs over one of the open connections (a new one once they are used up), then lets it close. */
  readonly post: Post = (url, { headers, body, signal }) =>
    new Promise((resolve, reject) => {
      const socket = this.sockets.pop();
      const options = { method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, signal, ...(socket === undefined ? {} : { createConnection: () => socket }) };
      const req = request(url, options, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, json: () => Promise.resolve().then(() => JSON.parse(text) as unknown) });
        });
      });
      req.on('error', reject);
      req.end(body);
    });

  /** Closes the connections no POST used. */
  close(): void {
    for (const socket of this.sockets.splice(0)) socket.destroy();
  }
}

function connected(socket: Socket): Promise<Socket> {
  return new Promise((resolve, reject) => {
    socket.setTimeout(10_000, () => socket.destroy(new Error('connect timed out')));
    socket.once('connect', () => {
      socket.setTimeout(0);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}
