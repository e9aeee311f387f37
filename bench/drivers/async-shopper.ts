import { io, type Socket } from 'socket.io-client';
import { isTerminal, PaymentAccepted, type ClientToServerEvents, type PaymentSnapshot, type ServerToClientEvents } from '../../contracts/index.js';
import {
  errorCode,
  failure,
  fetchPost,
  JSON_HEADERS,
  newIdempotencyKey,
  paymentBody,
  tokenIsUsable,
  type Post,
  type Shopper,
  type ShopperResult,
  type StatusVia,
} from './shopper.js';

export interface AsyncShopperOptions {
  bffUrl: string;
  /** Udi's URL, to exchange each SSO token with once signed in (untimed); none: tokens are not verified. */
  verifyWith?: string | undefined;
  /** How the POST is sent; fetch by default. */
  post?: Post;
  /** Sees every snapshot pushed, e.g. the one sent on joining: the shopper now waits. */
  onStatus?: (snapshot: PaymentSnapshot) => void;
  /** The address each shopper comes from, by its index, sent as X-Forwarded-For on its POST and its socket; none: the bench's own. */
  clientAddress?: ((index: number) => string) | undefined;
}

/**
 * A shopper of the improved flow, as the checkout page behaves: POST /api/payments, then a
 * Socket.IO connection authenticated with the client secret, until the `confirmed` snapshot brings
 * the SSO token. Signed in = that snapshot has arrived (the page posts the token to the SaaS app at
 * once); with verifyWith the token is then exchanged with Udi to prove it is usable (untimed).
 * WebSocket only, without the page's long-polling start, to keep the load generator light.
 */
export function asyncShopper({ bffUrl, verifyWith, post = fetchPost, onStatus, clientAddress }: AsyncShopperOptions): Shopper {
  return async (ctx) => {
    const { arrivalAt, arrivalMs } = ctx;
    const deadline = AbortSignal.timeout(Math.max(1, Math.round(arrivalAt + ctx.timeoutMs - performance.now())));
    const from: Record<string, string> = clientAddress === undefined ? {} : { 'X-Forwarded-For': clientAddress(ctx.index) };
    let firstAnswerMs: number | undefined;
    let firstAnswerStatus: number | undefined;
    let paymentId: string | undefined;
    try {
      const response = await post(`${bffUrl}/api/payments`, {
        headers: { ...JSON_HEADERS, 'Idempotency-Key': newIdempotencyKey(), ...from },
        body: paymentBody(ctx.index),
        signal: deadline,
      });
      firstAnswerMs = performance.now() - arrivalAt;
      firstAnswerStatus = response.status;
      if (response.status !== 202) return { arrivalMs, outcome: 'error', firstAnswerMs, firstAnswerStatus, error: await errorCode(response) };
      const accepted = PaymentAccepted.parse(await response.json());
      paymentId = accepted.paymentId;
      // One event loop plays every shopper, and opening a socket costs it about 0.4 ms of CPU (500
      // in a row: 210 ms). Opened at once, it ran before the answers behind it in the same read
      // were timed, so a burst's last first answers counted the sockets of the shoppers before
      // them. A shopper's socket opens on its own device; here it waits for the loop's check
      // phase, after the answers that arrived with its own.
      await new Promise((resolve) => setImmediate(resolve));
      const { final, via } = await waitForTerminal(bffUrl, accepted, from, deadline, onStatus);
      const signedInMs = performance.now() - arrivalAt;
      const result: ShopperResult = { arrivalMs, outcome: 'signed-in', firstAnswerMs, firstAnswerStatus, paymentId, statusVia: via };
      if (final.status !== 'confirmed' || final.signIn === undefined) return { ...result, outcome: 'error', error: final.status };
      if (verifyWith !== undefined && !(await tokenIsUsable(verifyWith, final.signIn.ssoToken))) return { ...result, outcome: 'error', error: 'token-refused' };
      return { ...result, signedInMs };
    } catch (err) {
      // An accepted payment keeps its id: a shopper who waited in vain is told from one refused.
      return failure(ctx, err, {
        ...(firstAnswerMs === undefined ? {} : { firstAnswerMs, firstAnswerStatus }),
        ...(paymentId === undefined ? {} : { paymentId }),
      });
    }
  };
}

/** Resolves with the first terminal snapshot pushed to the payment's socket, and how it came. */
function waitForTerminal(
  bffUrl: string,
  { paymentId, clientSecret }: PaymentAccepted,
  headers: Record<string, string>,
  deadline: AbortSignal,
  onStatus?: (snapshot: PaymentSnapshot) => void,
): Promise<{ final: PaymentSnapshot; via: StatusVia }> {
  return new Promise((resolve, reject) => {
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(bffUrl, {
      auth: { paymentId, clientSecret },
      transports: ['websocket'],
      extraHeaders: headers,
      forceNew: true,
      reconnectionDelayMax: 2_000,
    });
    const done = (settle: () => void) => {
      deadline.removeEventListener('abort', onDeadline);
      socket.close();
      settle();
    };
    const onDeadline = () => done(() => reject(deadline.reason as Error));
    deadline.addEventListener('abort', onDeadline);
    // The server sends the current snapshot first on every connection ('connect' comes before it).
    let connects = 0;
    let onThisConnection = 0;
    socket.on('connect', () => {
      connects++;
      onThisConnection = 0;
    });
    socket.on('payment:status', (snapshot) => {
      onThisConnection++;
      onStatus?.(snapshot);
      if (!isTerminal(snapshot.status)) return;
      const via: StatusVia = connects > 1 ? 'reconnect' : onThisConnection === 1 ? 'join' : 'push';
      done(() => resolve({ final: snapshot, via }));
    });
    socket.on('connect_error', (err) => {
      // A refused handshake is not retried by socket.io; a transport error is.
      if (!socket.active) done(() => reject(new Error(`socket refused: ${err.message}`)));
    });
  });
}
