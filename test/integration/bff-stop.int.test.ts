import { randomUUID } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { freePorts } from '../../infra/free-port.js';
import { spawnGuarded, type GuardedChild } from '../../infra/spawn-guarded.js';
// The processes' stop limit: past it, a process exits 1 whatever it was doing.
import { STOP_LIMIT_MS } from '../../lib/stop-limit.js';
import { until } from '../support/until.js';

let bff: GuardedChild | undefined;
let slowClient: Socket | undefined;
afterAll(async () => {
  slowClient?.destroy();
  await bff?.kill();
});

/** The BFF as a process of its own (server/main.ts), on a free port; its log lines as they come. */
async function startBffProcess(env: Record<string, string>): Promise<{ child: GuardedChild; port: number; lines: Array<Record<string, unknown>> }> {
  const [port] = (await freePorts(1)) as [number];
  const child = spawnGuarded(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: {
      ...process.env,
      KAFKA_BROKERS: inject('kafkaBrokers').join(','),
      REDIS_URL: inject('redisUrl'),
      KAFKA_TOPIC_PREFIX: `test-${randomUUID().slice(0, 8)}.`,
      TOPIC_PARTITIONS: '3',
      PORT: String(port),
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Array<Record<string, unknown>> = [];
  let partial = '';
  child.child.stdout?.on('data', (chunk: Buffer) => {
    const text = partial + chunk.toString();
    const complete = text.split('\n');
    partial = complete.pop() ?? '';
    for (const line of complete) {
      try {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        // not a log line
      }
    }
  });
  child.child.stderr?.resume();
  await until(async () => (await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined))?.status === 200, 60_000, 250);
  return { child, port, lines };
}

/** A client that sends a POST's headers and then its body a byte at a time, as a phone on a poor network does: a request in flight for minutes. */
function dripPost(port: number): Socket {
  const body = JSON.stringify({
    planId: 'pro',
    amount: { value: 1, currency: 'EUR' },
    customer: { email: 'slow@example.com' },
    paymentMethod: { token: 'pm_card_ok' },
  });
  const socket = connect(port, '127.0.0.1');
  socket.on('error', () => undefined);
  socket.write(`POST /api/payments HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`);
  let sent = 0;
  const drip = setInterval(() => {
    if (socket.destroyed || sent >= body.length - 1) return void clearInterval(drip);
    socket.write(body[sent++]!);
  }, 300);
  socket.on('close', () => clearInterval(drip));
  return socket;
}

describe('stopping a BFF', () => {
  it("with the manifests' drain (SHUTDOWN_DRAIN_MS 5000) and a request still arriving, it runs its whole stop, consumers and flushes included, and exits 0 within the stop limit", async () => {
    const started = await startBffProcess({ SHUTDOWN_DRAIN_MS: '5000' });
    bff = started.child;
    slowClient = dripPost(started.port);
    await new Promise((resolve) => setTimeout(resolve, 500));

    const signalled = performance.now();
    // SIGTERM; SIGKILL only well past the limit, so a stop that overruns shows as such.
    const exit = await bff.stop(STOP_LIMIT_MS + 5_000);
    const tookMs = performance.now() - signalled;

    const messages = started.lines.map((line) => line['msg']);
    expect(messages.filter((msg) => typeof msg === 'string' && /took longer|failed|did not finish/.test(msg))).toEqual([]);
    expect(messages).toContain('stopped');
    expect(exit).toMatchObject({ code: 0 });
    expect(tookMs).toBeLessThan(STOP_LIMIT_MS);
  });
});
