import { Socket } from 'socket.io';
import type { AdapterFactory } from './revealing-adapter.js';

/** The part of socket.io-adapter's Adapter (2.5) that this wrapper hooks into. */
interface RestoringAdapter {
  restoreSession(pid: string, offset: string): Promise<{ sid: string; missedPackets: unknown[][] } | null>;
  delAll(id: string): void;
}

/** socket.io-parser's PacketType.EVENT. */
const EVENT = 2;

/** The missed packets of each restored session, by socket id, until its middlewares have let it in. */
const heldBack = new WeakMap<object, Map<string, unknown[][]>>();

/**
 * Delivers a resumed session's missed packets only to a socket the middlewares let in.
 *
 * Socket.IO restores a session when it creates the socket, before any middleware runs, and the
 * Socket constructor writes the missed packets to the client right there; the middlewares run
 * afterwards, with `skipMiddlewares: false` too (socket.io 4.8: `Namespace._add` awaits
 * `_createSocket`, which calls `adapter.restoreSession` and hands the session to `new Socket`,
 * whose constructor sends `previousSession.missedPackets`; only then does `_add` run the
 * middlewares: https://github.com/socketio/socket.io/blob/main/packages/socket.io/lib/namespace.ts
 * and lib/socket.ts beside it).
 * So a client holding a payer's session id and stream offset was sent the pushes it missed,
 * opened SSO token included, with a wrong secret or none, and was only then refused. (The option
 * that skips the middlewares altogether is https://github.com/socketio/socket.io/issues/5491.)
 *
 * This wrapper takes the missed packets out of each restored session and keeps them by socket
 * id; `releaseMissedPackets`, called first thing in a namespace's connection handler (which runs
 * only once every middleware has passed), sends them. A socket the middlewares refuse, or whose
 * client leaves first, leaves its rooms on cleanup (`adapter.delAll`), which drops what was kept.
 */
export function missedPacketsGate<F extends AdapterFactory>(factory: F): F {
  if (typeof (Socket.prototype as unknown as { packet?: unknown }).packet !== 'function') {
    throw new Error('socket.io Socket has no packet() any more: missed packets cannot be sent after the handshake');
  }
  // socket.io calls the factory with `new`: a function, not an arrow, returning the adapter.
  const wrapped = function (nsp: never) {
    const adapter = factory(nsp) as RestoringAdapter;
    const held = new Map<string, unknown[][]>();
    heldBack.set(adapter, held);
    const restore = adapter.restoreSession.bind(adapter);
    adapter.restoreSession = async (pid, offset) => {
      const session = await restore(pid, offset);
      if (session === null) return session;
      held.set(session.sid, session.missedPackets);
      return { ...session, missedPackets: [] };
    };
    const delAll = adapter.delAll.bind(adapter);
    adapter.delAll = (id) => {
      held.delete(id);
      delAll(id);
    };
    return adapter;
  };
  return wrapped as F;
}

/** Sends a resumed socket the packets it missed, now that the middlewares have let it in; nothing for any other socket. */
export function releaseMissedPackets(socket: { id: string; nsp: { adapter: object } }): void {
  const held = heldBack.get(socket.nsp.adapter);
  const missed = held?.get(socket.id);
  if (missed === undefined) return;
  held!.delete(socket.id);
  const raw = socket as unknown as { packet(packet: { type: number; data: unknown[] }): void };
  for (const data of missed) raw.packet({ type: EVENT, data });
}
