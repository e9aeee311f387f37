import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { ConnectionPool } from './burst-client.js';

/**
 * A server in a process of its own: answers GET /healthz at once and each POST 50 ms after it came, and tells on GET /__counts how many
 * connections it accepted and how many page loads it answered.
 */
const SERVER = `
const http = require('node:http');
let connections = 0, loads = 0;
const server = http.createServer((req, res) => {
  if (req.url === '/healthz') { loads++; res.setHeader('content-length', '2'); return res.end('ok'); }
  if (req.url === '/__counts') return res.end(JSON.stringify({ connections, loads }));
  req.resume();
  req.on('end', () => setTimeout(() => { res.setHeader('content-type', 'application/json'); res.end(JSON.stringify({ ok: true })); }, 50));
});
server.on('connection', () => connections++);
server.listen(0, '127.0.0.1', () => process.stdout.write(String(server.address().port) + '\\n'));
`;

let child: ChildProcess | undefined;
afterEach(() => {
  child?.kill();
  child = undefined;
});

async function startServer(): Promise<string> {
  child = spawn(process.execPath, ['-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [chunk] = (await once(child.stdout!, 'data')) as [Buffer];
  return `http://127.0.0.1:${chunk.toString().trim()}`;
}

const post = (pool: ConnectionPool, url: string) =>
  pool.post(`${url}/api/payments`, { headers: { 'content-type': 'application/json' }, body: '{}', signal: AbortSignal.timeout(10_000) });

describe('the burst’s connection pool', () => {
  it('opens its connections with one page load each, and sends each POST over one of them', async () => {
    const url = await startServer();
    const pool = new ConnectionPool();
    try {
      expect(await pool.open(url, 20)).toBe(20);
      const answers = await Promise.all(Array.from({ length: 20 }, () => post(pool, url)));
      expect(answers.map((answer) => answer.status)).toEqual(Array.from({ length: 20 }, () => 200));
      expect(await answers[0]!.json()).toEqual({ ok: true });
      const counts = (await (await fetch(`${url}/__counts`)).json()) as { connections: number; loads: number };
      // The 20 pooled ones, and the fetch asking.
      expect(counts).toEqual({ connections: 21, loads: 20 });
    } finally {
      pool.close();
    }
  });
});
