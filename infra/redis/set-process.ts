import { join } from 'node:path';
import type { Exit, GuardedChild } from '../spawn-guarded.js';
import { spawnRedisProcess } from './redis-process.js';

const STOP_GRACE_MS = 10_000;

/**
 * One process of a replicated Redis set, a data node or a Sentinel, in a dir of its own under the
 * set's home (`node-1/`, `sentinel-1/`), with its log there. Kept apart from the process itself,
 * so a test can kill it and start it again on the same port and data.
 */
export class SetProcess {
  readonly name: string;
  readonly url: string;
  readonly dir: string;
  readonly logFile: string;
  private child: GuardedChild | undefined;
  private frozen = false;

  constructor(
    readonly kind: 'node' | 'sentinel',
    readonly port: number,
    index: number,
    home: string,
  ) {
    this.name = `${kind}-${index + 1}`;
    this.url = `redis://127.0.0.1:${port}`;
    this.dir = join(home, this.name);
    this.logFile = join(this.dir, kind === 'node' ? 'redis.log' : 'sentinel.log');
  }

  get pid(): number | undefined {
    return this.child?.child.pid;
  }

  /** Started, not stopped, killed or frozen: it can answer. */
  get running(): boolean {
    return this.child !== undefined && !this.frozen;
  }

  get started(): boolean {
    return this.child !== undefined;
  }

  /** Resolves when the process started last exits; undefined when none runs. */
  get exited(): Promise<Exit> | undefined {
    return this.child?.exited;
  }

  /** Starts it with `args`; a restart (`append`) keeps the log of the runs before. */
  start(args: string[], { append = false } = {}): void {
    this.child = spawnRedisProcess(this.kind === 'node' ? 'redis-server' : 'redis-sentinel', args, this.logFile, { append });
    this.frozen = false;
  }

  /** SIGSTOP freezes it, SIGCONT resumes it. */
  signal(signal: 'SIGSTOP' | 'SIGCONT'): void {
    if (this.child === undefined) return;
    this.child.signal(signal);
    this.frozen = signal === 'SIGSTOP';
  }

  /** SIGTERM (`stop`: redis-server flushes its append-only file) or SIGKILL (`kill`, as a crash); resolves once it has exited. */
  async halt(how: 'stop' | 'kill'): Promise<void> {
    const child = this.child;
    if (child === undefined) return;
    this.child = undefined;
    // A frozen process handles SIGTERM only once it runs again.
    if (this.frozen) child.signal('SIGCONT');
    this.frozen = false;
    await (how === 'kill' ? child.kill() : child.stop(STOP_GRACE_MS));
  }
}
