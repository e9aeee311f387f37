/**
 * The parts of the docs written from the lifecycle's table (contracts/lifecycle.ts): the state
 * diagram and the table of events in docs/architecture.md, and the list of terminal statuses that
 * the alerts' and metrics' words give. `npm run docs:lifecycle` writes them; a unit test fails
 * while the committed docs differ from what the table says.
 */
import { EVENT_TYPES } from '../../contracts/event-routes.js';
import { EVENTS, STATUS_NAMES, STATUSES, type EventSpec, type Process, type StatusName } from '../../contracts/lifecycle.js';
import { TERMINAL_STATUSES } from '../../contracts/payment-status.js';
import { TOPIC_NAMES } from '../../contracts/topics.js';

const PROCESS_NAMES: Record<Process, string> = { bff: 'BFF', 'billing-worker': 'billing worker', 'order-worker': 'order worker' };

/** The status state diagram (Mermaid): each move labelled with the events that make it. */
export function stateDiagram(): string {
  const lines = ['stateDiagram-v2', '  direction LR'];
  const start = EVENT_TYPES.filter((type) => EVENTS[type].kind === 'request');
  lines.push(`  [*] --> processing: ${start.join(', ')} (202)`);
  for (const from of STATUS_NAMES) {
    for (const to of STATUSES[from].next) lines.push(`  ${from} --> ${to}: ${eventsMovingTo(to).join(', ')}`);
  }
  for (const status of TERMINAL_STATUSES) lines.push(`  ${status} --> [*]`);
  lines.push(
    '  classDef good stroke:#1a7f37,stroke-width:3px',
    '  classDef bad stroke:#cf222e,stroke-width:3px',
    '  classDef act fill:#ffebe9,stroke:#cf222e,stroke-width:4px',
  );
  for (const status of STATUS_NAMES) {
    const look = statusClass(status);
    if (look !== null) lines.push(`  class ${status} ${look}`);
  }
  return lines.join('\n');
}

function statusClass(status: StatusName): 'good' | 'bad' | 'act' | null {
  const { tone, operatorMustAct } = STATUSES[status];
  if (operatorMustAct) return 'act';
  switch (tone) {
    case 'ok':
      return 'good';
    case 'bad':
      return 'bad';
    case 'plain':
      return null;
    default: {
      const unhandled: never = tone;
      throw new Error(`unhandled tone ${String(unhandled)}`);
    }
  }
}

function eventsMovingTo(status: StatusName): string[] {
  return EVENT_TYPES.filter((type) => (EVENTS[type] as EventSpec).movesTo === status);
}

/** The table of events (Markdown): topic, who publishes it, who reads it, the status it moves a payment to. */
export function eventsTable(): string {
  const rows = EVENT_TYPES.map((type) => {
    const spec: EventSpec = EVENTS[type];
    const names = (processes: readonly Process[]) => processes.map((process) => PROCESS_NAMES[process]).join(', ');
    return `| ${type} | ${spec.kind} | ${TOPIC_NAMES[spec.topic]} | ${names(spec.producers)} | ${names(spec.consumers)} | ${spec.movesTo === null ? '—' : `\`${spec.movesTo}\``} |`;
  });
  return ['| event | kind | topic | published by | consumed by | moves the payment to |', '| --- | --- | --- | --- | --- | --- |', ...rows].join('\n');
}

/** The terminal statuses in words, as the alerts and the metrics' descriptions give them: "confirmed, failed, refunded or refund_failed". */
export function terminalWords(): string {
  const names = [...TERMINAL_STATUSES];
  const last = names.pop();
  return names.length === 0 ? String(last) : `${names.join(', ')} or ${last}`;
}

/** A generated part of a Markdown file: between `<!-- generated:NAME -->` and `<!-- /generated:NAME -->`. */
export interface GeneratedPart {
  name: string;
  text: () => string;
}

export const ARCHITECTURE_PARTS: GeneratedPart[] = [
  { name: 'status-diagram', text: () => ['```mermaid', stateDiagram(), '```'].join('\n') },
  { name: 'events-table', text: eventsTable },
];

/** `markdown` with each part's text put between its markers; an error names a part whose markers are missing. */
export function withGeneratedParts(markdown: string, parts: readonly GeneratedPart[]): string {
  return parts.reduce((text, part) => {
    const open = `<!-- generated:${part.name} (npm run docs:lifecycle; edit contracts/lifecycle.ts, not this) -->`;
    const close = `<!-- /generated:${part.name} -->`;
    const start = text.indexOf(open);
    const end = text.indexOf(close);
    if (start === -1 || end < start) throw new Error(`the markers of the generated part "${part.name}" are missing: put\n${open}\n${close}\nwhere it goes`);
    return `${text.slice(0, start + open.length)}\n${part.text()}\n${text.slice(end)}`;
  }, markdown);
}
