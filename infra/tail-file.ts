import { readFile } from 'node:fs/promises';

/** A Java stack frame (`\tat a.b.C(C.java:1)`, `... 6 more`): in a short tail it hides the message. */
const STACK_FRAME = /^\s+(at |\.\.\. \d+ more)/;

/**
 * The last `lines` lines of a text file, stack frames left out, or '' when it cannot be read.
 * For error messages.
 */
export async function tailFile(path: string, lines = 20): Promise<string> {
  try {
    const text = await readFile(path, 'utf8');
    return text
      .trimEnd()
      .split('\n')
      .filter((line) => !STACK_FRAME.test(line))
      .slice(-lines)
      .join('\n');
  } catch {
    return '';
  }
}
