import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { BurstPoster } from './burst-poster.js';

/**
 * A server in a process of its own (the test's event loop is blocked on purpose): answers GET
 * /healthz at once and each POST 50 ms after it came, and tells on GET /__counts how many
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

const post = (poster: BurstPoster, url: string) => poster.post(`${url}/api/payments`, { headers: { 'content-type': 'application/json' }, body: '{}', signal: AbortSignal.timeout(10_000) });

describe('the burst poster', () => {
  it('opens its connections with one page load each, and sends each POST over one of them', async () => {
    const url = await startServer();
    const poster = new BurstPoster(10_000);
    try {
      expect((await poster.open(url, 20)).opened).toBe(20);
      const answers = await Promise.all(Array.from({ length: 20 }, () => post(poster, url)));
      expect(answers.map((answer) => answer.status)).toEqual(Array.from({ length: 20 }, () => 200));
      expect(await answers[0]!.json()).toEqual({ ok: true });
      const counts = (await (await fetch(`${url}/__counts`)).json()) as { connections: number; loads: number };
      // The 20 pooled ones, and the fetch asking.
      expect(counts).toEqual({ connections: 21, loads: 20 });
    } finally {
      await poster.close();
    }
  });

  it('stamps each answer when it came, even while the shoppers’ event loop is busy', async () => {
    const url = await startServer();
    const poster = new BurstPoster(10_000);
    try {
      await poster.open(url, 20);
      const sentAt = performance.now();
      let blocked = false;
      const answers = await Promise.all(
        Array.from({ length: 20 }, async () => {
          const answer = await post(poster, url);
          // The first shopper answered keeps this loop busy for 400 ms, as opening hundreds of sockets did.
          if (!blocked) {
            blocked = true;
            const until = performance.now() + 400;
            while (performance.now() < until);
          }
          return answer;
        }),
      );
      const latest = Math.max(...answers.map((answer) => answer.answeredAt! - sentAt));
      expect(latest).toBeGreaterThanOrEqual(50);
      expect(latest).toBeLessThan(300);
    } finally {
      await poster.close();
    }
  });
});
