import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { InfraError } from './infra-error.js';

/** What to tell a person who lacks a tool: the Debian package, and how to do without it. */
const HOW_TO_GET: Record<Tool, string> = {
  java: 'run `apt-get install -y default-jre-headless`, or set KAFKA_BROKERS to a running Kafka',
  mvn: 'run `apt-get install -y maven`, or set KAFKA_BROKERS to a running Kafka',
  'redis-server': 'run `apt-get install -y redis-server`, or set REDIS_URL to a running Redis',
  'redis-sentinel': 'run `apt-get install -y redis-sentinel`, or run one Redis (REDIS_NODES=1), or set REDIS_URL to a running Redis',
  haproxy: 'run `apt-get install -y haproxy`, or run a single BFF (BFF_REPLICAS=1)',
};

export type Tool = 'java' | 'mvn' | 'redis-server' | 'redis-sentinel' | 'haproxy';

/** True when an executable named `name` is on PATH. */
export function isOnPath(name: string, path = process.env.PATH ?? ''): boolean {
  return path.split(delimiter).some((dir) => {
    if (dir === '') return false;
    try {
      accessSync(join(dir, name), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** Throws an InfraError with one clear line when `tool` is not on PATH. */
export function requireTool(tool: Tool): void {
  if (!isOnPath(tool)) throw new InfraError(`${tool} is not installed: ${HOW_TO_GET[tool]}`);
}
