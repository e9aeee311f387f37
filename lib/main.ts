import { createLogger, type Logger } from './logger.js';
import { ConfigError } from './env.js';
import { STOP_LIMIT_MS } from './stop-limit.js';
import type { Tracing } from './tracing.js';

/**
 * Runs an entry point: `start` brings the process up and returns its `stop`, which is called
 * once on SIGTERM or SIGINT, and then the tracer is flushed. A process that has not stopped
 * within 10 s exits anyway. A bad configuration prints its one clear line and exits 1. An error
 * nobody handled (a rejected promise nobody awaited, a throwing timer) is logged and exits 1.
 */
export function runMain(role: string, start: () => Promise<{ logger: Logger; stop: () => Promise<void>; tracing?: Tracing }>): void {
  // Until start returns the process' own logger, a crash is logged by one of the same shape.
  let crashLogger = createLogger(role);
  exitOnCrash(() => crashLogger);
  start()
    .then(({ logger, stop, tracing }) => {
      crashLogger = logger;
      let stopping = false;
      const onSignal = (signal: NodeJS.Signals) => {
        if (stopping) return;
        stopping = true;
        logger.info({ signal }, 'shutting down');
        const started = performance.now();
        const force = setTimeout(() => {
          logger.error(`shutdown took longer than ${STOP_LIMIT_MS / 1000} s; exiting`);
          process.exit(1);
        }, STOP_LIMIT_MS);
        force.unref();
        stop()
          // Spans that cannot be delivered are not a reason to report a failed shutdown.
          .then(() => tracing?.shutdown().catch((err: unknown) => logger.warn({ err }, 'traces could not be flushed')))
          .then(
            () => {
              logger.info({ durationMs: Math.round(performance.now() - started) }, 'stopped');
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

/**
 * An error nobody handled leaves the process in a state nobody planned for, so it exits 1, as
 * Node does by default; but first the error goes to the log as one structured line, with its
 * stack, where Node would print it unstructured to stderr, which the log pipeline does not read.
 */
function exitOnCrash(logger: () => Logger): void {
  process.on('unhandledRejection', (reason) => {
    logger().fatal({ err: reason }, 'unhandled promise rejection; exiting');
    process.exit(1);
  });
  process.on('uncaughtException', (err) => {
    logger().fatal({ err }, 'uncaught exception; exiting');
    process.exit(1);
  });
}
