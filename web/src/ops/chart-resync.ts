/**
 * Asks the BFF for the charts' series once a minute while connected and starts over from it: the
 * moves folded in on the page can drift from the series in Redis by a move missed or counted twice
 * around the time the board was read.
 */
import type { Socket } from 'socket.io-client';
import type { OpsClientToServerEvents, OpsServerToClientEvents } from '../../../contracts/ops-events.js';
import type { SeriesState } from './chart-series.js';

const RESYNC_EVERY_MS = 60_000;

export function resyncSeries(socket: Socket<OpsServerToClientEvents, OpsClientToServerEvents>, series: SeriesState, drawn: () => void): void {
  window.setInterval(() => {
    if (!socket.connected) return;
    socket.emit('ops:series', (fresh) => {
      series.load(fresh);
      drawn();
    });
  }, RESYNC_EVERY_MS);
}
