/** Draws the board: a count and the latest payments per stage, the recent payments table, the errors. */
import type { OpsError, OpsMove } from '../../../contracts/ops-events.js';
import { PaymentStatusName } from '../../../contracts/payment-status.js';
import type { BoardState } from './board-state.js';
import { onceAFrame } from './once-a-frame.js';

const CHIPS_PER_STAGE = 6;
const ROWS = 25;

export interface BoardElements {
  board: HTMLElement;
  recent: HTMLTableSectionElement;
  recentEmpty: HTMLElement;
  errors: HTMLOListElement;
  errorsEmpty: HTMLElement;
}

export class BoardView {
  constructor(
    private readonly elements: BoardElements,
    private readonly state: BoardState,
  ) {}

  /** Draws at the next frame, once however many moves arrived in between. */
  readonly render = onceAFrame(() => this.draw());

  /** Draws now: the board that has just arrived is on screen before the page says Live. */
  draw(): void {
    for (const status of PaymentStatusName.options) {
      const stage = this.elements.board.querySelector<HTMLElement>(`.stage[data-status="${status}"]`);
      if (stage === null) continue;
      stage.querySelector('[data-count]')!.textContent = String(this.state.count(status));
      stage.querySelector('[data-chips]')!.replaceChildren(...this.state.recent(CHIPS_PER_STAGE, status).map((move) => chip(move)));
    }
    const recent = this.state.recent(ROWS);
    this.elements.recent.replaceChildren(...recent.map(row));
    this.elements.recentEmpty.hidden = recent.length > 0;
    this.elements.errors.replaceChildren(...this.state.errors.map(errorItem));
    this.elements.errorsEmpty.hidden = this.state.errors.length > 0;
  }
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
  status.append(element('span', move.to, `badge ${move.to}`));
  if (move.reason !== undefined) status.append(element('span', ` ${move.reason.code}`, 'reason'));
  tr.append(id, status, element('td', move.secondsSinceAccepted === undefined ? '—' : `${move.secondsSinceAccepted.toFixed(2)} s`, 'num'), element('td', time(move.at), 'num'));
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
