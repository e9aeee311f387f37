import type { Selection } from './args.js';
import { selectedDeadLetters, type DlqContext } from './context.js';
import { deadLetterJson, deadLetterText } from './output.js';

/** `show`: each selected dead letter with its dlq-* headers, key, event type and masked value. */
export async function show(context: DlqContext, selection: Selection, json: boolean): Promise<void> {
  const deadLetters = await selectedDeadLetters(context, selection);
  for (const deadLetter of deadLetters) context.output.out(json ? JSON.stringify(deadLetterJson(deadLetter)) : `${deadLetterText(deadLetter)}\n`);
  if (!json) context.output.out(`${deadLetters.length} record(s)`);
}
