/** Draws the payment's status: the live region, the progress steps and the one action offered. */
import { describe, slowNote, type Action, type StatusWords, type ViewState } from './status-words.js';

export interface StatusElements {
  region: HTMLElement;
  steps: HTMLOListElement;
  actions: HTMLElement;
  actionButton: HTMLButtonElement;
}

interface RegionParts {
  icon: HTMLElement;
  title: HTMLElement;
  reason: HTMLElement;
  detail: HTMLElement;
  slow: HTMLElement;
}

const ACTION_LABELS: Record<Action, string> = {
  'try-again': 'Try again',
  'start-over': 'Start a new checkout',
  'open-workspace': 'Go to your workspace',
};

export class StatusView {
  private state: ViewState | undefined;
  private slow = false;
  private parts: RegionParts | undefined;

  constructor(private readonly elements: StatusElements) {}

  show(state: ViewState): void {
    const moving = this.state === undefined;
    this.state = state;
    this.render();
    // Entering the status view hides the focused Pay button; keep keyboard users where the news is.
    if (moving) this.parts?.title.focus();
  }

  /** Says, or stops saying, that the payment is taking longer than usual (unless the server has said why). */
  setSlow(slow: boolean): void {
    if (this.slow === slow) return;
    this.slow = slow;
    if (this.state) this.render();
  }

  hide(): void {
    this.state = undefined;
    this.slow = false;
    this.parts = undefined;
    this.elements.region.replaceChildren();
    this.elements.steps.hidden = true;
    this.elements.actions.hidden = true;
  }

  /** The action currently offered, if any. */
  get action(): Action | undefined {
    return this.state ? describe(this.state).action : undefined;
  }

  private render(): void {
    if (!this.state) return;
    const words = describe(this.state);
    this.renderRegion(words);
    this.renderSteps(words);
    const { actions, actionButton } = this.elements;
    actions.hidden = words.action === undefined;
    if (words.action) actionButton.textContent = ACTION_LABELS[words.action];
  }

  private renderRegion(words: StatusWords): void {
    const parts = this.regionParts();
    parts.icon.dataset['tone'] = words.tone;
    parts.title.textContent = words.title;
    setText(parts.reason, words.reason);
    setText(parts.detail, words.detail);
    setText(parts.slow, slowNote(words, this.slow));
  }

  /** The region's nodes, made once: replacing them would drop the focus from the heading. */
  private regionParts(): RegionParts {
    if (this.parts) return this.parts;
    const icon = element('div', 'status-icon');
    icon.setAttribute('aria-hidden', 'true');
    const title = element('h2', '');
    title.tabIndex = -1;
    const parts = { icon, title, reason: element('p', 'reason'), detail: element('p', 'detail'), slow: element('p', 'slow') };
    this.elements.region.replaceChildren(parts.icon, parts.title, parts.reason, parts.detail, parts.slow);
    this.parts = parts;
    return parts;
  }

  private renderSteps({ steps }: StatusWords): void {
    const list = this.elements.steps;
    list.hidden = false;
    const states = { payment: steps.payment, account: steps.account, 'sign-in': steps.signIn };
    for (const item of list.querySelectorAll<HTMLLIElement>('li[data-step]')) {
      const state = states[item.dataset['step'] as keyof typeof states] ?? 'todo';
      item.dataset['state'] = state;
      if (state === 'current') item.setAttribute('aria-current', 'step');
      else item.removeAttribute('aria-current');
    }
  }
}

function setText(node: HTMLElement, text: string | undefined): void {
  node.textContent = text ?? '';
  node.hidden = text === undefined;
}

function element(tag: 'div' | 'h2' | 'p', className: string): HTMLElement {
  const node = document.createElement(tag);
  if (className) node.className = className;
  return node;
}
