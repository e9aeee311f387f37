import { setTimeout as wait } from 'node:timers/promises';
import { ChargeSettledWebhook } from '../../contracts/charge-webhook.js';
import { backoffDelay, type BackoffOptions } from '../../lib/backoff.js';
import type { Logger } from '../../lib/logger.js';
import { signWebhook, WEBHOOK_SIGNATURE_HEADER } from '../../lib/webhook-signature.js';
import type { BillingControl } from './control.js';
import type { BillingGatesMetrics } from './metrics.js';

/** The retry delays: 250 ms, doubling, never above 30 s (each drawn from its upper half, so many webhooks do not retry in lockstep). */
export const WEBHOOK_BACKOFF: Required<BackoffOptions> = { initialMs: 250, maxMs: 30_000 };

/** How long one attempt waits for the receiver's answer before it counts as failed. */
export const WEBHOOK_ATTEMPT_TIMEOUT_MS = 5_000;

type WebhookControl = Pick<BillingControl, 'webhookUrl' | 'webhookDeliveries' | 'webhookPaused'>;

export interface WebhookSenderDeps {
  /** The shared secret every attempt is signed under. */
  secret: string;
  control: { readonly current: Readonly<WebhookControl>; onChange(listener: (control: Readonly<WebhookControl>) => void): void };
  logger: Logger;
  metrics: Pick<BillingGatesMetrics, 'webhookDeliveries' | 'webhookRetries'>;
  /** Default WEBHOOK_BACKOFF. */
  backoff?: BackoffOptions;
}

/**
 * Sends the charge.settled webhooks, at least once each, as a card processor does: every attempt
 * POSTs the same body (the same event id) to `webhookUrl`, signed afresh under the shared secret
 * (a retry hours later would otherwise fall outside the receiver's 5-minute window), and a
 * failed attempt (no 2xx, or no answer within 5 s) is retried with capped exponential backoff
 * until one gets its 2xx. `webhookDeliveries` above 1 delivers the event that many times, each
 * copy once the one before got its 2xx, as a processor whose acknowledgement was lost would.
 * `webhookPaused` holds every attempt, retries included, until it is lifted.
 *
 * Deliveries live in memory only: a restart of the stand-in loses those not yet delivered.
 */
export class WebhookSender {
  readonly #deps: WebhookSenderDeps;
  readonly #backoff: BackoffOptions;
  readonly #stopping = new AbortController();
  readonly #active = new Set<Promise<void>>();
  #waitingForResume: Array<() => void> = [];
  #warnedNoUrl = false;

  constructor(deps: WebhookSenderDeps) {
    this.#deps = deps;
    this.#backoff = deps.backoff ?? WEBHOOK_BACKOFF;
    deps.control.onChange((control) => {
      if (!control.webhookPaused) this.#resume();
    });
  }

  /** Queues the event's deliveries and returns at once; an event that does not fit the contract is logged and not sent. */
  send(event: ChargeSettledWebhook): void {
    const { paymentId } = event.data;
    const log = this.#deps.logger.child({ paymentId, eventId: event.id });
    if (this.#stopping.signal.aborted) return;
    if (this.#deps.control.current.webhookUrl === null) {
      if (!this.#warnedNoUrl) this.#deps.logger.warn('WEBHOOK_URL is not set (nor webhookUrl through POST /__control): settled charges send no webhook');
      this.#warnedNoUrl = true;
      log.info('no webhook sent: no webhook URL');
      return;
    }
    const checked = ChargeSettledWebhook.safeParse(event);
    if (!checked.success) {
      log.error({ issues: checked.error.issues }, 'webhook not sent: its body does not fit ChargeSettledWebhook');
      return;
    }
    const delivery = this.#deliverAll(JSON.stringify(checked.data), this.#deps.control.current.webhookDeliveries, log);
    this.#active.add(delivery);
    const done = () => this.#active.delete(delivery);
    delivery.then(done, done);
  }

  /** Stops every delivery still on its way (they are lost, as in a restart) and waits for them to end. */
  async stop(): Promise<void> {
    this.#stopping.abort();
    this.#resume();
    await Promise.allSettled([...this.#active]);
  }

  async #deliverAll(body: string, copies: number, log: Logger): Promise<void> {
    for (let copy = 1; copy <= copies; copy++) {
      if (!(await this.#deliver(body, log.child({ copy, copies })))) return;
    }
  }

  /** One copy, attempted until a 2xx; false when stopped first. */
  async #deliver(body: string, log: Logger): Promise<boolean> {
    for (let failures = 0; ; failures++) {
      await this.#unpaused();
      if (this.#stopping.signal.aborted) return false;
      const url = this.#deps.control.current.webhookUrl;
      if (url === null) {
        log.warn('webhook dropped: the webhook URL was unset while it waited to be delivered');
        return false;
      }
      if (await this.#attempt(url, body, failures + 1, log)) return true;
      if (this.#stopping.signal.aborted) return false;
      this.#deps.metrics.webhookRetries.inc();
      // Not ref'd: a delivery waiting to be retried never keeps the process alive on its own.
      await wait(backoffDelay(failures, this.#backoff), undefined, { ref: false, signal: this.#stopping.signal }).catch(() => undefined);
    }
  }

  async #attempt(url: string, body: string, attempt: number, log: Logger): Promise<boolean> {
    const { webhookDeliveries } = this.#deps.metrics;
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [WEBHOOK_SIGNATURE_HEADER]: signWebhook(this.#deps.secret, body) },
        body,
        signal: AbortSignal.any([this.#stopping.signal, AbortSignal.timeout(WEBHOOK_ATTEMPT_TIMEOUT_MS)]),
      });
      await response.arrayBuffer();
      if (response.ok) {
        webhookDeliveries.inc({ result: 'delivered' });
        log.info({ attempt, status: response.status }, 'webhook delivered');
        return true;
      }
      webhookDeliveries.inc({ result: 'failed' });
      log.warn({ attempt, status: response.status }, 'webhook refused; it will be retried');
    } catch (err) {
      webhookDeliveries.inc({ result: 'failed' });
      log.warn({ attempt, error: err instanceof Error ? err.message : String(err) }, 'webhook not delivered; it will be retried');
    }
    return false;
  }

  async #unpaused(): Promise<void> {
    while (this.#deps.control.current.webhookPaused && !this.#stopping.signal.aborted) {
      await new Promise<void>((resolve) => this.#waitingForResume.push(resolve));
    }
  }

  #resume(): void {
    const waiting = this.#waitingForResume;
    this.#waitingForResume = [];
    for (const resolve of waiting) resolve();
  }
}
