import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { PaymentSnapshot } from '../../contracts/index.js';
import { revealingAdapter } from './revealing-adapter.js';

const roomOf = (paymentId: string) => `payment:${paymentId}`;
const reveal = (snapshot: PaymentSnapshot): PaymentSnapshot =>
  snapshot.signIn ? { ...snapshot, signIn: { ...snapshot.signIn, ssoToken: snapshot.signIn.ssoToken.replace('sealed:', '') } } : snapshot;

function confirmed(paymentId = randomUUID()): PaymentSnapshot {
  const at = new Date().toISOString();
  return { paymentId, status: 'confirmed', seq: 2, updatedAt: at, signIn: { ssoToken: 'sealed:token', expiresAt: at, landingUrl: 'http://saas.example/sso' } };
}

/** Stands in for the adapter's private encoding step: returns what it was given. */
function adapterWith(rooms: Map<string, Set<string>>, missedPackets: unknown[][] = []) {
  return (_nsp: never) => ({
    rooms,
    _encode: (packet: { data?: unknown }) => packet.data,
    restoreSession: () => Promise.resolve({ missedPackets }),
  });
}

describe('the revealing Socket.IO adapter', () => {
  it("opens the token only for a payment whose room has a socket on this replica, and leaves the caller's packet sealed", () => {
    const here = confirmed();
    const elsewhere = confirmed();
    const factory = revealingAdapter(adapterWith(new Map([[roomOf(here.paymentId), new Set(['socket-1'])]])), reveal, roomOf);
    const adapter = factory(undefined as never) as { _encode: (packet: { data?: unknown }, opts: unknown) => unknown };

    const packet = { data: ['payment:status', here, '1-0'] };
    expect(adapter._encode(packet, {})).toEqual(['payment:status', reveal(here), '1-0']);
    expect(packet.data[1]).toBe(here); // the copy written to the stream stays sealed
    expect(adapter._encode({ data: ['payment:status', elsewhere] }, {})).toEqual(['payment:status', elsewhere]);
    expect(adapter._encode({ data: ['ops:move', { paymentId: here.paymentId }] }, {})).toEqual(['ops:move', { paymentId: here.paymentId }]);
  });

  it('opens the token in the packets a restored session missed', async () => {
    const snapshot = confirmed();
    const factory = revealingAdapter(adapterWith(new Map(), [['payment:status', snapshot, '2-0']]), reveal, roomOf);
    const adapter = factory(undefined as never) as { restoreSession: (pid: string, offset: string) => Promise<{ missedPackets: unknown[][] }> };
    expect((await adapter.restoreSession('pid', '1-0')).missedPackets).toEqual([['payment:status', reveal(snapshot), '2-0']]);
  });
});
