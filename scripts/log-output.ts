import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { pino, type Logger } from 'pino';
import { prettyFactory } from 'pino-pretty';

/** Wide enough for the longest process name, so the log columns line up. */
const NAME_WIDTH = 16;

const prettify = prettyFactory({
  colorize: process.stdout.isTTY === true,
  translateTime: 'HH:MM:ss.l',
  // The trace id stays, to find a payment's trace; span ids are for the trace viewer.
  ignore: 'pid,hostname,role,spanId',
  singleLine: true,
});

/** One line of a process' output, made readable when it is a pino JSON line, under its name. */
function print(name: string, line: string): void {
  let text = `${line}\n`;
  if (line.startsWith('{')) {
    try {
      text = prettify(JSON.parse(line));
    } catch {
      // not JSON after all: print it as it is
    }
  }
  const prefix = `${name.padEnd(NAME_WIDTH)} | `;
  process.stdout.write(
    text
      .trimEnd()
      .split('\n')
      .map((part) => prefix + part)
      .join('\n') + '\n',
  );
}

/** Copies a child's stdout or stderr to ours, line by line, prefixed with its name. */
export function forwardOutput(name: string, stream: Readable): void {
  createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => print(name, line));
}

/** A logger for launchers (npm start, test setup) whose lines look like the processes' own. */
export function createConsoleLogger(name: string, level: string): Logger {
  return pino({ level, base: { role: name } }, { write: (line: string) => print(name, line.trimEnd()) });
}
