/** The checkout form: plans with prices, the shopper's details, and the messages about them. */
import { PaymentRequest } from '../../contracts/payment-api.js';
import type { Plan } from '../../contracts/plans.js';
import { formatMoney } from './format-money.js';

export interface FormElements {
  form: HTMLFormElement;
  email: HTMLInputElement;
  plan: HTMLSelectElement;
  card: HTMLSelectElement;
  pay: HTMLButtonElement;
  error: HTMLElement;
  total: HTMLElement;
  summaryPlan: HTMLElement;
  summaryPrice: HTMLElement;
}

const INVALID_EMAIL = 'Please enter a valid email address, such as name@company.com.';

export class CheckoutForm {
  private plans: Plan[] = [];
  private busy = false;
  /** A plan to select once the plans arrive (from `?plan=` or a request being resumed). */
  private wantedPlanId: string | null;

  constructor(private readonly el: FormElements) {
    this.wantedPlanId = new URLSearchParams(location.search).get('plan');
    el.plan.addEventListener('change', () => this.showSelectedPlan());
    el.email.addEventListener('input', () => {
      el.email.removeAttribute('aria-invalid');
      el.email.setAttribute('aria-describedby', 'email-hint');
    });
  }

  /** Calls `pay` with a valid request each time the shopper presses Pay, unless already busy. */
  onPay(pay: (request: PaymentRequest) => void): void {
    this.el.form.addEventListener('submit', (event) => {
      event.preventDefault();
      if (this.busy) return;
      const request = this.read();
      if (request) pay(request);
    });
  }

  showPlans(plans: Plan[]): void {
    this.plans = plans;
    const options = plans.map((plan) => new Option(`${plan.name} — ${formatMoney(plan.amount)}`, plan.id));
    this.el.plan.replaceChildren(...options);
    this.el.plan.disabled = false;
    if (this.wantedPlanId && plans.some((plan) => plan.id === this.wantedPlanId)) this.el.plan.value = this.wantedPlanId;
    this.clearError();
    this.showSelectedPlan();
    this.setBusy(this.busy);
  }

  /** The plans could not be loaded: say so, and offer to load them again. */
  showPlansError(retry: () => void): void {
    this.el.plan.replaceChildren(new Option('Plans are unavailable', ''));
    this.el.plan.disabled = true;
    this.el.pay.disabled = true;
    const message = document.createElement('p');
    message.textContent = 'We could not load the plans. Check your connection and try again.';
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'button secondary';
    button.textContent = 'Load plans again';
    button.addEventListener('click', retry);
    this.el.error.replaceChildren(message, button);
  }

  /** Puts a request back into the form, e.g. after a declined card, so the shopper only changes what they must. */
  fill(request: PaymentRequest): void {
    this.el.email.value = request.customer.email;
    const card = [...this.el.card.options].find((option) => option.value === request.paymentMethod.token);
    if (card) this.el.card.value = card.value;
    this.wantedPlanId = request.planId;
    if (this.plans.some((plan) => plan.id === request.planId)) {
      this.el.plan.value = request.planId;
      this.showSelectedPlan();
    }
  }

  setVisible(visible: boolean): void {
    this.el.form.hidden = !visible;
  }

  setBusy(busy: boolean): void {
    this.busy = busy;
    this.el.pay.disabled = busy || this.plans.length === 0;
  }

  /** An error about what was sent. `fields` are the request paths the BFF refused. */
  showError(message: string, fields: string[] = []): void {
    if (fields.includes('customer.email')) {
      this.flagEmail();
      return;
    }
    const paragraph = document.createElement('p');
    paragraph.textContent = message;
    this.el.error.replaceChildren(paragraph);
  }

  clearError(): void {
    this.el.error.replaceChildren();
  }

  focus(): void {
    (this.el.email.value ? this.el.pay : this.el.email).focus();
  }

  private read(): PaymentRequest | null {
    this.clearError();
    const plan = this.plans.find((candidate) => candidate.id === this.el.plan.value);
    if (!plan) return null;
    const parsed = PaymentRequest.safeParse({
      planId: plan.id,
      amount: plan.amount,
      customer: { email: this.el.email.value.trim() },
      paymentMethod: { token: this.el.card.value },
    });
    if (!parsed.success) {
      // The browser's own check lets through addresses the BFF refuses, such as "me@localhost".
      if (parsed.error.issues.some((issue) => issue.path[0] === 'customer')) this.flagEmail();
      else this.showError('This order cannot be paid as it is. Please reload the page and try again.');
      return null;
    }
    return parsed.data;
  }

  private flagEmail(): void {
    this.el.email.setAttribute('aria-invalid', 'true');
    this.el.email.setAttribute('aria-describedby', `email-hint ${this.el.error.id}`);
    this.showError(INVALID_EMAIL);
    this.el.email.focus();
  }

  private showSelectedPlan(): void {
    const plan = this.plans.find((candidate) => candidate.id === this.el.plan.value);
    if (!plan) return;
    this.el.summaryPlan.textContent = `${plan.name} plan`;
    this.el.summaryPrice.textContent = formatMoney(plan.amount);
    this.el.total.textContent = formatMoney(plan.amount);
  }
}
