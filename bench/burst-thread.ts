/**
 * The burst's POSTs, sent and timed on a thread of their own (burst-poster.ts starts it): the
 * connections are opened here, and each answer is read here and stamped with the moment it came.
 */
import { parentPort } from 'node:worker_threads';
import { ConnectionPool } from './burst-client.js';
import { BurstCommand, type BurstReply } from './burst-messages.js';

const port = parentPort;
if (port === null) throw new Error('burst-thread.ts runs as a worker thread of burst-poster.ts');
const pool = new ConnectionPool();
const reply = (message: BurstReply) => port.postMessage(message);

port.on('message', (raw: unknown) => {
  const command = BurstCommand.parse(raw);
  switch (command.type) {
    case 'open': {
      const opening = performance.now();
      // open never rejects: a connection that failed is one fewer opened.
      void pool.open(command.url, command.size).then((opened) => reply({ type: 'opened', opened, openMs: performance.now() - opening }));
      return;
    }
    case 'post': {
      const { id, url, headers, body, timeoutMs } = command;
      pool.send(url, { headers, body, signal: AbortSignal.timeout(timeoutMs) }).then(
        // The answer's moment as wall time: performance.now() counts from each thread's own origin.
        (answer) => reply({ type: 'answered', id, status: answer.status, answeredAtEpochMs: performance.timeOrigin + answer.answeredAt, body: answer.text }),
        (err: unknown) => reply({ type: 'failed', id, message: err instanceof Error ? err.message : String(err), name: err instanceof Error ? err.name : 'Error' }),
      );
      return;
    }
    case 'close':
      pool.close();
      port.close();
      return;
  }
});
