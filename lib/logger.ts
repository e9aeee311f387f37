import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/** JSON logs, one object per line, with the process role on every line. */
export function createLogger(role: string, level: string = 'info', destination?: DestinationStream): Logger {
  const options = { level, base: { role }, timestamp: pino.stdTimeFunctions.isoTime };
  return destination === undefined ? pino(options) : pino(options, destination);
}
