import { Worker } from 'node:worker_threads';
import { BurstReply, type BurstCommand } from './burst-messages.js';
import type { Post, PostAnswer } from './shopper.js';

interface Pending {
  resolve: (answer: PostAnswer) => void;
  reject: (err: Error) => void;
}

/**
 * The burst's POSTs, sent over connections opened beforehand (burst-client.ts) by a thread of their
 * own (burst-thread.ts). One event loop plays every shopper, and each shopper whose answer has come
 * goes on to open its socket: on that loop, the answers behind it waited to be read, and a
 * burst's last first answers counted up to 300 ms of the load generator's own work (its
 * event-loop delay, reported beside them). On a thread of its own an answer is stamped when it is
 * read, whatever the shoppers' loop is doing; the shopper then goes on as before.
 */
export class BurstPoster {
  // tsx compiles the thread's TypeScript, as it does the bench's; a test runner's own loader does not reach threads.
  private readonly thread = new Worker(new URL('./burst-thread.ts', import.meta.url), { execArgv: ['--import', 'tsx'] });
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private opening: { resolve: (figures: { opened: number; openMs: number }) => void; reject: (err: Error) => void } | undefined;
  private failure: Error | undefined;

  constructor(private readonly timeoutMs: number) {
    this.thread.on('message', (raw: unknown) => this.onReply(BurstReply.parse(raw)));
    this.thread.on('error', (err: unknown) => this.failAll(err instanceof Error ? err : new Error(String(err))));
    // Not waited for by Node: an idle poster must not keep the bench running.
    this.thread.unref();
  }

  /** Opens `size` connections to `url`'s host on the thread; resolves with how many opened and how long it took. */
  open(url: string, size: number): Promise<{ opened: number; openMs: number }> {
    return new Promise((resolve, reject) => {
      if (this.failure !== undefined) return reject(this.failure);
      this.opening = { resolve, reject };
      this.send({ type: 'open', url, size });
    });
  }

  readonly post: Post = (url, { headers, body, signal }) =>
    new Promise((resolve, reject) => {
      if (this.failure !== undefined) return reject(this.failure);
      const id = this.nextId++;
      const onAbort = () => {
        this.pending.delete(id);
        reject(signal.reason instanceof Error ? signal.reason : new Error(String(signal.reason)));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      const settle = <T>(fn: (value: T) => void) => (value: T) => {
        signal.removeEventListener('abort', onAbort);
        fn(value);
      };
      this.pending.set(id, { resolve: settle(resolve), reject: settle(reject) });
      this.send({ type: 'post', id, url, headers, body, timeoutMs: this.timeoutMs });
    });

  async close(): Promise<void> {
    this.send({ type: 'close' });
    await this.thread.terminate();
  }

  private send(command: BurstCommand): void {
    this.thread.postMessage(command);
  }

  private onReply(reply: BurstReply): void {
    if (reply.type === 'opened') {
      this.opening?.resolve({ opened: reply.opened, openMs: reply.openMs });
      this.opening = undefined;
      return;
    }
    const pending = this.pending.get(reply.id);
    if (pending === undefined) return;
    this.pending.delete(reply.id);
    if (reply.type === 'failed') {
      const err = new Error(reply.message);
      err.name = reply.name ?? 'Error';
      pending.reject(err);
      return;
    }
    const { body } = reply;
    // The thread's wall-time stamp, on this thread's performance.now() clock.
    const answeredAt = reply.answeredAtEpochMs - performance.timeOrigin;
    pending.resolve({ status: reply.status, answeredAt, json: () => Promise.resolve().then(() => JSON.parse(body) as unknown) });
  }

  private failAll(err: Error): void {
    this.failure = err;
    this.opening?.reject(err);
    for (const pending of this.pending.values()) pending.reject(err);
    this.pending.clear();
  }
}
