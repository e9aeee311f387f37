import { pino, type Logger } from 'pino';

export type { Logger };

/** JSON logs, one object per line, with the process role on every line. */
export function createLogger(role: string, level: string = 'info'): Logger {
  return pino({ level, base: { role }, timestamp: pino.stdTimeFunctions.isoTime });
}
