import { describe, expect, it } from 'vitest';
import { closeServer, listen } from './http-server.js';

describe('closeServer', () => {
  it('a client that keeps sending on its keep-alive connection does not hold the server open, and the request in flight is answered', async () => {
    let arrived: () => void = () => undefined;
    const inFlightArrived = new Promise<void>((resolve) => (arrived = resolve));
    const { server, port } = await listen((req, res) => {
      if (req.url === '/in-flight') arrived();
      setTimeout(() => res.end('ok'), 50);
    }, 0);
    let sending = true;
    const answers: number[] = [];
    const client = (async () => {
      while (sending) {
        try {
          answers.push((await fetch(`http://127.0.0.1:${port}/`)).status);
        } catch {
          return; // the server has gone: a new connection is refused
        }
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const inFlight = fetch(`http://127.0.0.1:${port}/in-flight`);
    // In flight once the server has it: a fixed pause was sometimes too short on a busy machine,
    // and the close then refused the connection before the request was made.
    await inFlightArrived;

    const started = performance.now();
    await closeServer(server);
    const took = performance.now() - started;
    sending = false;
    await client;

    expect((await inFlight).status).toBe(200);
    expect(took).toBeLessThan(1_000); // not the 5 s keep-alive timeout
    expect(answers.every((status) => status === 200)).toBe(true);
  });

  it('with forceAfterMs, a request that never finishes is cut off then, and the server closes', async () => {
    const { server, port } = await listen(() => undefined, 0); // never answers
    const inFlight = fetch(`http://127.0.0.1:${port}/`).then(
      () => 'answered',
      () => 'cut off',
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = performance.now();
    await closeServer(server, { forceAfterMs: 200 });
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(await inFlight).toBe('cut off');
  });
});
