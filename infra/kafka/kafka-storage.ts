import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { InfraError } from '../infra-error.js';
import { LOG4J_CONFIG } from './log4j-config.js';

const execFileAsync = promisify(execFile);

/**
 * KRaft refuses to start on an unformatted log dir, and formatting an existing one would lose it.
 * Nodes of one cluster share its id: that of a node already formatted, or a new one.
 */
export async function formatStorageOnce(classpath: string, nodes: Array<{ dataDir: string; propertiesFile: string }>): Promise<void> {
  const formatted = await Promise.all(nodes.map(({ dataDir }) => readMetaProperty(dataDir, 'cluster.id')));
  const unformatted = nodes.filter((_, index) => formatted[index] === undefined);
  if (unformatted.length === 0) return;
  const clusterId = formatted.find((id) => id !== undefined) ?? newClusterId();
  await Promise.all(
    unformatted.map(async ({ dataDir, propertiesFile }) => {
      try {
        await execFileAsync('java', [
          '-Xmx256m',
          `-Dlog4j2.configurationFile=${LOG4J_CONFIG}`,
          '-cp',
          classpath,
          'kafka.tools.StorageTool',
          'format',
          '-t',
          clusterId,
          '-c',
          propertiesFile,
        ]);
      } catch (err) {
        const detail = err instanceof Error && 'stderr' in err ? String(err.stderr).trim() : String(err);
        throw new InfraError(`formatting Kafka storage in ${dataDir} failed: ${detail}`);
      }
    }),
  );
}

/**
 * A Kafka Uuid as StorageTool's random-uuid prints it: 16 random bytes in URL-safe base64. As
 * Kafka's own Uuid.randomUuid does, one starting with "-" is drawn again: StorageTool would take
 * `-t -abc…` for an option and refuse to format.
 */
export function newClusterId(random: (size: number) => Buffer = randomBytes): string {
  for (;;) {
    const id = random(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

async function readMetaProperty(dataDir: string, key: string): Promise<string | undefined> {
  const file = join(dataDir, 'meta.properties');
  if (!existsSync(file)) return undefined;
  const line = (await readFile(file, 'utf8')).split('\n').find((candidate) => candidate.startsWith(`${key}=`));
  return line?.slice(key.length + 1).trim();
}
