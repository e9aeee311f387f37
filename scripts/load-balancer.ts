import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InfraError } from '../infra/infra-error.js';
import { haproxyBinary } from '../infra/haproxy/haproxy-binary.js';
import { haproxyConfig } from '../infra/haproxy/haproxy-config.js';
import { isPortOpen } from '../infra/port-open.js';
import { spawnGuarded } from '../infra/spawn-guarded.js';
import { forwardOutput } from './log-output.js';
import type { ProcessSpec } from './processes.js';
import type { RunningProcess } from './run-process.js';

const STOP_GRACE_MS = 5_000;

export interface LoadBalancerOptions {
  /** Where shoppers connect (PORT, 3000 by default). */
  port: number;
  /** The BFF replicas, by name and port. */
  replicas: Array<Pick<ProcessSpec, 'name' | 'port'>>;
  /** Where its generated haproxy.cfg goes. */
  dir: string;
}

/**
 * HAProxy in front of the BFF replicas, as a child that never outlives us. Ready (through
 * waitReady) once /readyz answers 200 through it, i.e. once it routes to a ready replica.
 */
export async function startLoadBalancer({ port, replicas, dir }: LoadBalancerOptions): Promise<RunningProcess> {
  const binary = haproxyBinary();
  if (await isPortOpen('127.0.0.1', port)) {
    throw new InfraError(`load-balancer: port ${port} is already in use; stop what holds it or choose another PORT`);
  }
  await mkdir(dir, { recursive: true });
  const configFile = join(dir, 'haproxy.cfg');
  const servers = replicas.map(({ name, port: replicaPort }) => ({ name, host: '127.0.0.1', port: replicaPort }));
  await writeFile(configFile, haproxyConfig({ host: '127.0.0.1', port }, servers));

  // -db: in the foreground, its alerts (a replica going DOWN or UP) on stderr.
  const child = spawnGuarded(binary, ['-db', '-f', configFile], { stdio: ['ignore', 'pipe', 'pipe'] });
  if (child.child.stdout) forwardOutput('load-balancer', child.child.stdout);
  if (child.child.stderr) forwardOutput('load-balancer', child.child.stderr);
  return {
    spec: { name: 'load-balancer', port, readyPath: '/readyz' },
    pid: child.child.pid,
    exited: child.exited,
    stop: () => child.stop(STOP_GRACE_MS),
    kill: child.kill,
    signal: child.signal,
  };
}
