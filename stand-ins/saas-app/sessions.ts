import { randomBytes } from 'node:crypto';

export interface Session {
  email: string;
  paymentId: string;
  orderId: string;
}

export const SESSION_COOKIE = 'saas_session';

/** Signed-in browsers, by a random session id kept in the `saas_session` cookie. */
export class Sessions {
  readonly #byId = new Map<string, Session>();

  create(session: Session): string {
    const id = randomBytes(32).toString('base64url');
    this.#byId.set(id, session);
    return id;
  }

  find(id: string | undefined): Session | undefined {
    return id === undefined ? undefined : this.#byId.get(id);
  }
}
