import type { Namespace } from 'socket.io';
import {
  STATUSES,
  type OpsClientToServerEvents,
  type OpsError,
  type OpsMove,
  type OpsSeries,
  type OpsServerToClientEvents,
  type OpsSocketErrorCode,
  type PaymentSnapshot,
  type PaymentStatusName,
} from '../../contracts/index.js';
import type { Logger } from '../../lib/logger.js';
import { releaseMissedPackets } from '../realtime/missed-packets-gate.js';
import type { PaymentSocketServer } from '../realtime/socket-server.js';
import { secondsSinceAccepted } from '../status/project-snapshot.js';
import type { OpsBoardStore } from './ops-board-store.js';
import { sessionHash, type SignedInOperators } from './signed-in-operators.js';

/** What the replicas tell each other through the adapter: a replica has operators watching. */
interface OpsServerSideEvents {
  'ops:watching': () => void;
}

interface OpsSocketData {
  /** The room of the operator's session (its hash), so signing out closes its sockets on every replica. */
  sessionRoom: string;
}

type OpsNamespace = Namespace<OpsClientToServerEvents, OpsServerToClientEvents, OpsServerSideEvents, OpsSocketData>;

function sessionRoom(session: string): string {
  return `ops-session:${sessionHash(session)}`;
}

/** The least time between two series one socket is sent on request (the page asks once a minute). */
const SERIES_ASKED_EVERY_MS = 10_000;
/** How often a replica with operators says so to the others. */
const WATCHING_ANNOUNCE_MS = 5_000;
/** How long another replica's announcement counts: three announcements missed, and nobody is watching there. */
const WATCHING_HEARD_FOR_MS = 3 * WATCHING_ANNOUNCE_MS;

/**
 * The operators' live view, fed by the flow: the accept path and the status consumer tell it of
 * every accepted payment, status change and dead-lettered record. It keeps the board in Redis
 * (ops-board-store.ts) and broadcasts to the `/ops` Socket.IO namespace through the Redis adapter,
 * so an operator connected to any replica sees the moves every replica projects. Moves and errors
 * are broadcast only while an operator watches on some replica: each broadcast is an entry in the
 * adapter's Redis stream that every replica reads. A replica with operators announces it to the
 * others at once and every WATCHING_ANNOUNCE_MS; the board is always kept. None of its methods
 * throws: the view must never hold up a payment.
 */
export class LiveView {
  private ops: OpsNamespace | undefined;
  /** Until when (monotonic ms) another replica's operators count as watching. */
  private heardWatchingUntil = 0;
  private announcing: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: OpsBoardStore,
    private readonly operators: SignedInOperators,
    private readonly logger: Logger,
  ) {}

  /**
   * Opens the `/ops` namespace. A socket is let in on the session cookie of POST /ops/session,
   * gets the board at once, and then every move and error; it may ask for the charts' series
   * again, at most once every SERIES_ASKED_EVERY_MS.
   */
  attach(io: PaymentSocketServer): void {
    // One Server types one set of events; the live view's namespace has its own.
    const ops = io.of('/ops') as unknown as OpsNamespace;
    ops.use((socket, next) => {
      this.operators.sessionIn(socket.handshake.headers.cookie).then(
        (session) => {
          if (session !== undefined) {
            socket.data.sessionRoom = sessionRoom(session);
            next();
            return;
          }
          this.logger.info({ address: socket.handshake.address }, 'live view: handshake without a valid operator session refused');
          next(new Error('OPS_UNAUTHORIZED' satisfies OpsSocketErrorCode));
        },
        (err: unknown) => {
          this.logger.warn({ err }, 'live view: the operator session could not be checked; handshake refused');
          next(new Error('OPS_UNAVAILABLE' satisfies OpsSocketErrorCode));
        },
      );
    });
    ops.on('ops:watching', () => {
      this.heardWatchingUntil = performance.now() + WATCHING_HEARD_FOR_MS;
    });
    ops.on('connection', (socket) => {
      releaseMissedPackets(socket);
      this.logger.info({ socketId: socket.id }, 'live view: operator connected');
      void socket.join(socket.data.sessionRoom);
      // Announced before the board is read: another replica hears it within the stream's delivery
      // time, and a move it writes after this read is broadcast once it has heard.
      this.announceWatching();
      this.store.read().then(
        (board) => socket.emit('ops:board', board),
        (err: unknown) => this.logger.warn({ err }, 'live view: the board could not be read'),
      );
      let seriesSentAt = -Infinity;
      socket.on('ops:series', (ack: unknown) => {
        if (typeof ack !== 'function' || performance.now() - seriesSentAt < SERIES_ASKED_EVERY_MS) return;
        seriesSentAt = performance.now();
        this.store.readSeries().then(
          (series) => (ack as (series: OpsSeries) => void)(series),
          (err: unknown) => this.logger.warn({ err }, 'live view: the series could not be read'),
        );
      });
      socket.on('disconnect', () => {
        if (ops.sockets.size === 0) this.stopAnnouncing();
      });
    });
    this.ops = ops;
  }

  /** Closes the sockets of a session that was signed out, on every replica. */
  endSession(session: string): void {
    this.ops?.in(sessionRoom(session)).disconnectSockets(true);
  }

  /** Stops telling the other replicas that operators watch here. */
  close(): void {
    this.stopAnnouncing();
  }

  /** Whether an operator watches on this replica or, as far as this replica has heard, on another. */
  private get watched(): boolean {
    return (this.ops?.sockets.size ?? 0) > 0 || performance.now() < this.heardWatchingUntil;
  }

  private announceWatching(): void {
    this.ops?.serverSideEmit('ops:watching');
    this.announcing ??= setInterval(() => this.ops?.serverSideEmit('ops:watching'), WATCHING_ANNOUNCE_MS).unref();
  }

  private stopAnnouncing(): void {
    clearInterval(this.announcing);
    this.announcing = undefined;
  }

  accepted(snapshot: PaymentSnapshot): Promise<void> {
    return this.publishMove({ paymentId: snapshot.paymentId, from: null, to: 'processing', at: snapshot.updatedAt, secondsSinceAccepted: 0 });
  }

  async moved(from: PaymentStatusName, snapshot: PaymentSnapshot): Promise<void> {
    const seconds = secondsSinceAccepted(snapshot);
    await this.publishMove({
      paymentId: snapshot.paymentId,
      from,
      to: snapshot.status,
      at: snapshot.updatedAt,
      ...(seconds === undefined ? {} : { secondsSinceAccepted: seconds }),
      ...(snapshot.reason === undefined ? {} : { reason: snapshot.reason }),
    });
    if (snapshot.reason !== undefined && STATUSES[snapshot.status].tone === 'bad') {
      await this.publishError({
        at: snapshot.updatedAt,
        source: 'payment',
        code: snapshot.reason.code,
        message: snapshot.reason.message,
        paymentId: snapshot.paymentId,
      });
    }
  }

  /** A record sent to a dead-letter topic by any consumer (server/history/dead-letter-reader.ts reads them all). */
  deadLettered(deadLetter: Omit<OpsError, 'source'>): Promise<void> {
    return this.publishError({ ...deadLetter, source: 'dead-letter' });
  }

  /** Writes the moves and errors that wait, e.g. before the BFF stops. */
  flush(): Promise<void> {
    return this.store.flush().catch((err: unknown) => this.logger.warn({ err }, 'live view: moves not recorded'));
  }

  private async publishMove(move: OpsMove): Promise<void> {
    await this.store.recordMove(move).catch((err: unknown) => this.logger.warn({ err, paymentId: move.paymentId }, 'live view: move not recorded'));
    if (this.watched) this.ops?.emit('ops:move', move);
  }

  private async publishError(error: OpsError): Promise<void> {
    await this.store.recordError(error).catch((err: unknown) => this.logger.warn({ err }, 'live view: error not recorded'));
    if (this.watched) this.ops?.emit('ops:error', error);
  }
}
