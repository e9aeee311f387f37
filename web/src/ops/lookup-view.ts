/** The "Look up a payment" section: one field for a paymentId or an email, and each payment's timeline. */
import type { PaymentRecord } from '../../../contracts/payment-lookup.js';
import { lookUp, recordRefundByHand } from './lookup-client.js';
import { entryWords, timeOf } from './lookup-words.js';
import { badgeClasses } from './status-look.js';

export interface LookupElements {
  form: HTMLFormElement;
  query: HTMLInputElement;
  message: HTMLElement;
  results: HTMLElement;
}

/** Wires the form; `onSignedOut` is called when the session has ended. */
export function mountLookup({ form, query, message, results }: LookupElements, onSignedOut: (message: string) => void): void {
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    message.textContent = 'Looking up…';
    void lookUp(query.value).then((answer) => {
      if (!answer.ok) {
        message.textContent = answer.message;
        results.replaceChildren();
        if (answer.signedOut) onSignedOut(answer.message);
        return;
      }
      message.textContent =
        answer.payments.length === 0
          ? 'No payments of this email in the history.'
          : answer.asked === 'email'
            ? `${answer.payments.length} recent payment${answer.payments.length === 1 ? '' : 's'} of this email, newest first.`
            : answer.payments.length === 1
              ? 'The payment, with no other payment of its email.'
              : `The payment, then ${answer.payments.length - 1} other recent payment${answer.payments.length === 2 ? '' : 's'} of its email.`;
      results.replaceChildren(...answer.payments.map((payment) => paymentCard(payment, { again: () => form.requestSubmit(), onSignedOut })));
    });
  });
}

function element<K extends keyof HTMLElementTagNameMap>(tag: K, text = '', className?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.textContent = text;
  if (className !== undefined) node.className = className;
  return node;
}

interface CardActions {
  /** Looks the same query up again, to show what an action changed. */
  again: () => void;
  onSignedOut: (message: string) => void;
}

function paymentCard(payment: PaymentRecord, actions: CardActions): HTMLElement {
  const card = element('article', '', 'lookup-payment');
  card.dataset['paymentId'] = payment.paymentId;
  card.setAttribute('aria-label', `Payment ${payment.paymentId}`);
  const head = element('header', '', 'lookup-head');
  head.append(element('span', payment.paymentId, 'mono'));
  const status = payment.current?.status;
  head.append(element('span', status ?? 'status expired', status === undefined ? 'badge' : badgeClasses(status)));
  if (payment.current?.reason !== undefined) head.append(element('span', payment.current.reason.message, 'reason'));
  if (payment.current?.notice !== undefined) head.append(element('span', `told: ${payment.current.notice.message}`, 'reason'));
  const list = element('ol', '', 'timeline');
  for (const entry of payment.timeline) {
    const words = entryWords(entry);
    const item = element('li', '', `tone-${words.tone}`);
    const time = element('time', timeOf(entry.at), 'num');
    time.dateTime = entry.at;
    const body = element('div');
    body.append(element('strong', words.what));
    for (const detail of words.details) body.append(element('span', detail, 'detail'));
    item.append(time, body);
    list.append(item);
  }
  card.append(head);
  // The one status with something to do from here: record the refund made by hand in Billing Gates.
  if (status === 'refund_failed') card.append(refundByHandForm(payment.paymentId, actions));
  card.append(list);
  if (payment.timeline.length === 0) card.append(element('p', 'No history kept for this payment.', 'empty'));
  return card;
}

/** Once the charge is returned by hand in Billing Gates (the runbook's PayflowRefundFailed): its refund id, and the payment moves to refunded. */
function refundByHandForm(paymentId: string, { again, onSignedOut }: CardActions): HTMLFormElement {
  const form = element('form', '', 'refund-by-hand');
  const label = element('label', 'Refund id in Billing Gates');
  const input = element('input');
  input.name = 'refundId';
  input.required = true;
  input.maxLength = 200;
  input.autocomplete = 'off';
  label.append(input);
  const button = element('button', 'Record the refund made by hand');
  button.type = 'submit';
  const said = element('p', '', 'form-message');
  said.setAttribute('role', 'status');
  form.append(label, button, said);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    button.disabled = true;
    said.textContent = 'Recording…';
    void recordRefundByHand(paymentId, input.value).then((answer) => {
      button.disabled = false;
      if (answer.ok) {
        said.textContent = 'Recorded: the payment moves to refunded, and the shopper is told.';
        setTimeout(again, 1_000);
        return;
      }
      said.textContent = answer.message;
      if (answer.signedOut) onSignedOut(answer.message);
    });
  });
  return form;
}
