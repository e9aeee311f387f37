import type { Logger } from './logger.js';
import { ConfigError } from './env.js';

/**
 * Runs an entry point: `start` brings the process up and returns its `stop`, which is called
 * once on SIGTERM or SIGINT. A bad configuration prints its one clear line and exits 1.
 */
export function runMain(
  role: string,
  start: () => Promise<{ logger: Logger; stop: () => Promise<void> }>,
): void {
  start()
    .then(({ logger, stop }) => {
      let stopping = false;
      const onSignal = (signal: NodeJS.Signals) => {
        if (stopping) return;
        stopping = true;
        logger.info({ signal }, 'shutting down');
        const force = setTimeout(() => {
          logger.error('shutdown took longer than 10 s; exiting');
          process.exit(1);
        }, 10_000);
        force.unref();
        stop().then(
          () => {
            logger.info('stopped');
            process.exit(0);
          },
          (err: unknown) => {
            logger.error({ err }, 'shutdown failed');
            process.exit(1);
          },
        );
      };
      process.on('SIGTERM', onSignal);
      process.on('SIGINT', onSignal);
    })
    .catch((err: unknown) => {
      if (err instanceof ConfigError) {
        process.stderr.write(`${role}: ${err.message}\n`);
      } else {
        process.stderr.write(`${role}: failed to start: ${err instanceof Error ? err.stack : String(err)}\n`);
      }
      process.exit(1);
    });
}
