import { PaymentSnapshot } from '../../contracts/index.js';
import type { RevealSnapshot } from '../status/reveal-snapshot.js';

/** The part of socket.io-adapter's Adapter (2.5) that this wrapper hooks into. */
interface HookedAdapter {
  rooms: Map<string, Set<string>>;
  /** Encodes a broadcast packet for this replica's own sockets; the cluster copy is encoded apart. */
  _encode(packet: { data?: unknown }, packetOpts: unknown): unknown;
  restoreSession(pid: string, offset: string): Promise<{ missedPackets: unknown[][] } | null>;
}

export type AdapterFactory = (nsp: never) => unknown;

/**
 * Keeps the SSO token sealed in everything the Redis Streams adapter writes. A room broadcast is
 * appended to a Redis stream (kept for connection state recovery, persisted by AOF), so the
 * status consumer broadcasts snapshots with the token still sealed; this wrapper opens it only
 * where a packet is handed to a payer's socket on this replica:
 * - `_encode`, which the in-memory adapter calls for its local delivery only (the stream copy
 *   was encoded by the cluster adapter before; the snapshot on join is delivered locally alone),
 *   and only when the payment's room has a socket here, so replicas without the payer never open it;
 * - `restoreSession`, whose missed packets are read back, sealed, from the stream.
 * `_encode` is private to socket.io-adapter: checked at start, so an upgrade that renames it
 * fails loudly instead of sending sealed tokens to shoppers.
 */
export function revealingAdapter<F extends AdapterFactory>(factory: F, reveal: RevealSnapshot, roomOf: (paymentId: string) => string): F {
  // socket.io calls the factory with `new`: a function, not an arrow, returning the adapter.
  const wrapped = function (nsp: never) {
    const adapter = factory(nsp) as HookedAdapter;
    if (typeof adapter._encode !== 'function') throw new Error('socket.io-adapter has no _encode any more: the SSO token cannot be opened per replica');
    const encode = adapter._encode.bind(adapter);
    adapter._encode = (packet, packetOpts) => {
      const revealed = revealEvent(packet.data, reveal, (paymentId) => (adapter.rooms.get(roomOf(paymentId))?.size ?? 0) > 0);
      return encode(revealed === packet.data ? packet : { ...packet, data: revealed }, packetOpts);
    };
    const restore = adapter.restoreSession.bind(adapter);
    adapter.restoreSession = async (pid, offset) => {
      const session = await restore(pid, offset);
      if (session) session.missedPackets = session.missedPackets.map((data) => revealEvent(data, reveal, () => true) as unknown[]);
      return session;
    };
    return adapter;
  };
  return wrapped as F;
}

/** `['payment:status', snapshot, ...offset]` with the snapshot revealed; anything else as it is. */
function revealEvent(data: unknown, reveal: RevealSnapshot, deliveredHere: (paymentId: string) => boolean): unknown {
  if (!Array.isArray(data) || data[0] !== 'payment:status') return data;
  const snapshot = PaymentSnapshot.safeParse(data[1]);
  if (!snapshot.success || snapshot.data.signIn === undefined || !deliveredHere(snapshot.data.paymentId)) return data;
  return [data[0], reveal(snapshot.data), ...(data as unknown[]).slice(2)];
}
