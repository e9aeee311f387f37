/** The checkout page: finds its elements, loads the plans, and resumes a payment after a reload. */
// First: it must run before any schema in contracts/ is defined.
import './zod-jitless.js';
import { fetchPlans } from './api.js';
import { CheckoutFlow } from './checkout-flow.js';
import { CheckoutForm } from './checkout-form.js';
import { StatusView } from './status-view.js';

function byId<T extends HTMLElement>(id: string, type: new () => T): T {
  const element = document.getElementById(id);
  if (!(element instanceof type)) throw new Error(`the page has no ${type.name} #${id}`);
  return element;
}

const form = new CheckoutForm({
  form: byId('checkout-form', HTMLFormElement),
  email: byId('email', HTMLInputElement),
  plan: byId('plan', HTMLSelectElement),
  card: byId('card', HTMLSelectElement),
  pay: byId('pay', HTMLButtonElement),
  error: byId('form-error', HTMLElement),
  total: byId('total', HTMLElement),
  summaryPlan: byId('summary-plan', HTMLElement),
  summaryPrice: byId('summary-price', HTMLElement),
});
const actionButton = byId('try-again', HTMLButtonElement);
const status = new StatusView({
  region: byId('status', HTMLElement),
  steps: byId('steps', HTMLOListElement),
  actions: byId('status-actions', HTMLElement),
  actionButton,
});
const flow = new CheckoutFlow(form, status, actionButton);

async function loadPlans(): Promise<void> {
  try {
    form.showPlans(await fetchPlans());
  } catch {
    form.showPlansError(() => void loadPlans());
  }
}

void loadPlans();
flow.resume();

// Coming back with the Back button from the SaaS app restores this page as it was left
// ("Signing you in…"); a fresh load shows the checkout instead.
window.addEventListener('pageshow', (event) => {
  if (event.persisted) location.reload();
});
