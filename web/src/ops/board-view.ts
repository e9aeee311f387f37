/** Draws the board: a count and the latest payments per stage, the recent payments table, the errors. */
import type { StatusName } from '../../../contracts/lifecycle.js';
import type { OpsError } from '../../../contracts/ops-events.js';
import type { OpsMove } from '../../../contracts/ops-move.js';
import type { BoardState } from './board-state.js';
import { onceAFrame } from './once-a-frame.js';
import { badgeClasses, boardStages, type StageLook } from './status-look.js';

const CHIPS_PER_STAGE = 6;
const ROWS = 25;

export interface BoardElements {
  /** Where the stages are drawn, one per status. */
  stages: HTMLElement;
  recent: HTMLTableSectionElement;
  recentEmpty: HTMLElement;
  errors: HTMLOListElement;
  errorsEmpty: HTMLElement;
}

interface StageElements {
  count: HTMLElement;
  chips: HTMLUListElement;
}

export class BoardView {
  private readonly stages: ReadonlyArray<[StatusName, StageElements]>;

  constructor(
    private readonly elements: BoardElements,
    private readonly state: BoardState,
  ) {
    this.stages = drawStages(elements.stages);
  }

  /** Draws at the next frame, once however many moves arrived in between. */
  readonly render = onceAFrame(() => this.draw());

  /** Draws now: the board that has just arrived is on screen before the page says Live. */
  draw(): void {
    for (const [status, stage] of this.stages) {
      stage.count.textContent = String(this.state.count(status));
      stage.chips.replaceChildren(...this.state.recent(CHIPS_PER_STAGE, status).map((move) => chip(move)));
    }
    const recent = this.state.recent(ROWS);
    this.elements.recent.replaceChildren(...recent.map(row));
    this.elements.recentEmpty.hidden = recent.length > 0;
    this.elements.errors.replaceChildren(...this.state.errors.map(errorItem));
    this.elements.errorsEmpty.hidden = this.state.errors.length > 0;
  }
}

/** Draws a stage per status into `container`, as status-look.ts lays them out, and returns where each one's figures go. */
function drawStages(container: HTMLElement): Array<[StatusName, StageElements]> {
  const { through, otherEnds } = boardStages();
  const drawn: Array<[StatusName, StageElements]> = [];
  const row = (stages: StageLook[], className: string, arrows: boolean) => {
    const rowElement = element('div', '', className);
    stages.forEach((look, index) => {
      if (arrows && index > 0) rowElement.append(arrow());
      const { section, figures } = stage(look);
      rowElement.append(section);
      drawn.push([look.status, figures]);
    });
    return rowElement;
  };
  container.replaceChildren(row(through, 'stage-row through', true), row(otherEnds, 'stage-row other-ends', false));
  return drawn;
}

function stage(look: StageLook): { section: HTMLElement; figures: StageElements } {
  const section = element('section', '', look.classes.join(' '));
  section.dataset['status'] = look.status;
  const heading = element('h2', look.title);
  heading.id = `stage-${look.status}`;
  section.setAttribute('aria-labelledby', heading.id);
  const count = element('p', '0', 'count');
  const chips = element('ul', '', 'chips');
  chips.setAttribute('aria-label', `Latest ${look.title.toLowerCase()}`);
  section.append(heading, element('p', look.status, 'status-name'), count, element('p', look.what, 'what'));
  if (look.classes.includes('must-act')) section.append(element('p', 'An operator must act on each of these.', 'must-act-note'));
  section.append(chips);
  return { section, figures: { count, chips } };
}

function arrow(): HTMLElement {
  const span = element('span', '', 'arrow right');
  span.setAttribute('aria-hidden', 'true');
  return span;
}

function shortId(paymentId: string): string {
  return paymentId.slice(0, 8);
}

function element<K extends keyof HTMLElementTagNameMap>(tag: K, text: string, className?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.textContent = text;
  if (className !== undefined) node.className = className;
  return node;
}

function chip(move: OpsMove): HTMLLIElement {
  const item = element('li', shortId(move.paymentId), 'chip');
  item.title = move.paymentId;
  return item;
}

function row(move: OpsMove): HTMLTableRowElement {
  const tr = document.createElement('tr');
  tr.dataset['paymentId'] = move.paymentId;
  const id = element('td', shortId(move.paymentId), 'mono');
  id.title = move.paymentId;
  const status = element('td', '');
  status.append(element('span', move.to, badgeClasses(move.to)));
  if (move.reason !== undefined) status.append(element('span', ` ${move.reason.code}`, 'reason'));
  tr.append(
    id,
    status,
    element('td', move.secondsSinceAccepted === undefined ? '—' : `${move.secondsSinceAccepted.toFixed(2)} s`, 'num'),
    element('td', time(move.at), 'num'),
  );
  return tr;
}

function errorItem(error: OpsError): HTMLLIElement {
  const item = document.createElement('li');
  const where = error.source === 'dead-letter' ? `dead letter from ${error.topic ?? '?'}` : `payment ${shortId(error.paymentId ?? '')}`;
  item.append(element('span', time(error.at), 'num'), element('strong', ` ${error.code} `), element('span', `${where}: ${error.message}`));
  return item;
}

function time(iso: string): string {
  return new Date(iso).toLocaleTimeString([], { hour12: false });
}
