import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { Post } from './shopper.js';

const OPEN_AT_ONCE = 50;
/** What a connection's first request asks for: cheap on both flows' servers, and logged by neither above debug. */
const PAGE_LOAD_PATH = '/healthz';

/**
 * Connections opened before the burst, one per POST: a shopper who presses Pay has loaded the page
 * from the same origin and holds an open connection, so the figure is the server's answer, not
 * the load generator's TCP handshakes. They are opened OPEN_AT_ONCE at a time: hundreds of
 * connects at once overflow the listen backlog of a busy server, and a dropped SYN is retried
 * only a second later (then 2, 4, 8 s).
 *
 * Each connection then carries one GET, as the page's load did, and is kept only once its answer
 * has come. A connect resolves when the kernel has completed the handshake, before the server has
 * accepted the connection: while a busy server had not yet taken them from its full accept queue,
 * the kernel dropped the handshake's last packet, and the POST sent on such a connection reached
 * the server only when TCP retransmitted it, 1 to 3 s later (the burst's first 130 shoppers,
 * whose connections were opened last).
 */
export class ConnectionPool {
  private readonly sockets: Socket[] = [];

  /** Opens up to `size` connections to `url`'s host, each with one page load answered; resolves with how many opened. */
  async open(url: string, size: number): Promise<number> {
    const { hostname, port, host } = new URL(url);
    for (let i = 0; i < size; i += OPEN_AT_ONCE) {
      const batch = Array.from({ length: Math.min(OPEN_AT_ONCE, size - i) }, async () =>
        loaded(await connected(connect({ host: hostname, port: Number(port) })), host),
      );
      for (const result of await Promise.allSettled(batch)) if (result.status === 'fulfilled') this.sockets.push(result.value);
    }
    return this.sockets.length;
  }

  /** POSTs over one of the open connections (a new one once they are used up), then lets it close. */
  readonly post: Post = (url, { headers, body, signal }) =>
    new Promise((resolve, reject) => {
      const socket = this.sockets.pop();
      const options = {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        signal,
        ...(socket === undefined ? {} : { createConnection: () => socket }),
      };
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

/**
 * Sends the page load's GET on a raw keep-alive connection and resolves once its whole answer has
 * come, leaving the connection idle for the next request (Node's client, given a socket of its own,
 * would close it after one answer).
 */
function loaded(socket: Socket, host: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    let received = Buffer.alloc(0);
    const fail = (err: Error) => {
      socket.off('data', onData);
      socket.destroy();
      reject(err);
    };
    const onData = (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const headerEnd = received.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const head = received.subarray(0, headerEnd).toString('latin1');
      if (!/^HTTP\/1\.1 2\d\d /.test(head)) return fail(new Error(`the page load was answered ${head.split('\r\n')[0]}`));
      const length = /\r\ncontent-length: *(\d+)/i.exec(head);
      if (length === null) return fail(new Error('the page load was answered without a Content-Length'));
      if (received.length < headerEnd + 4 + Number(length[1])) return;
      socket.off('data', onData);
      socket.setTimeout(0);
      resolve(socket);
    };
    socket.on('data', onData);
    socket.once('error', fail);
    socket.setTimeout(10_000, () => fail(new Error('the page load timed out')));
    socket.write(`GET ${PAGE_LOAD_PATH} HTTP/1.1\r\nHost: ${host}\r\nConnection: keep-alive\r\n\r\n`);
  });
}
