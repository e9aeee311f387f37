/**
 * The operators' live view. Signs in with the operator token (POST /ops/session sets an HttpOnly
 * cookie; the token is never kept by the page), then follows the `/ops` socket: the board on
 * connect, every move and error after that.
 */
// First: it must run before any schema in contracts/ is defined.
import '../zod-jitless.js';
import { io, type Socket } from 'socket.io-client';
import type { OpsClientToServerEvents, OpsServerToClientEvents, OpsSocketErrorCode } from '../../../contracts/ops-events.js';
import { BoardState } from './board-state.js';
import { BoardView } from './board-view.js';
import { mountLookup } from './lookup-view.js';
import { resyncSeries } from './chart-resync.js';
import { SeriesState } from './chart-series.js';
import { ChartView } from './chart-view.js';

function byId<T extends HTMLElement>(id: string, type: new () => T): T {
  const element = document.getElementById(id);
  if (!(element instanceof type)) throw new Error(`the page has no ${type.name} #${id}`);
  return element;
}

const signIn = byId('sign-in', HTMLElement);
const form = byId('sign-in-form', HTMLFormElement);
const tokenInput = byId('token', HTMLInputElement);
const signInError = byId('sign-in-error', HTMLElement);
const signOut = byId('sign-out', HTMLButtonElement);
const connection = byId('connection', HTMLElement);
const boardElement = byId('board', HTMLElement);

const state = new BoardState();
const view = new BoardView(
  {
    stages: byId('stages', HTMLElement),
    recent: byId('recent', HTMLTableSectionElement),
    recentEmpty: byId('recent-empty', HTMLElement),
    errors: byId('errors', HTMLOListElement),
    errorsEmpty: byId('errors-empty', HTMLElement),
  },
  state,
);

const series = new SeriesState();
const charts = new ChartView(
  {
    outcomes: byId('chart-outcomes', HTMLElement),
    outcomesSummary: byId('chart-outcomes-summary', HTMLElement),
    confirmTimes: byId('chart-confirm-times', HTMLElement),
    confirmTimesSummary: byId('chart-confirm-times-summary', HTMLElement),
  },
  series,
);

/** How long the page waits before it asks again when the BFF could not check its session. */
const SESSION_CHECK_RETRY_MS = 5_000;

const socket: Socket<OpsServerToClientEvents, OpsClientToServerEvents> = io('/ops', { transports: ['websocket', 'polling'], autoConnect: false });
resyncSeries(socket, series, () => charts.render());

function showConnection(text: string, state: 'live' | 'offline'): void {
  connection.textContent = text;
  connection.dataset['state'] = state;
}

function showSignIn(message = ''): void {
  socket.disconnect();
  boardElement.hidden = true;
  signOut.hidden = true;
  signIn.hidden = false;
  signInError.textContent = message;
  showConnection('Not connected', 'offline');
  tokenInput.focus();
}

socket.on('connect', () => {
  signIn.hidden = true;
  boardElement.hidden = false;
  signOut.hidden = false;
  // Not "Live" yet: the board on screen is not the current one until ops:board has arrived.
  showConnection('Loading…', 'offline');
});
socket.on('disconnect', () => showConnection('Reconnecting…', 'offline'));
socket.on('connect_error', (err) => {
  // A refused handshake is not retried by Socket.IO: the session is missing, has expired or was
  // signed out; or the BFF could not check it (Redis away), which is worth another try shortly.
  if (err.message === ('OPS_UNAUTHORIZED' satisfies OpsSocketErrorCode)) showSignIn(boardElement.hidden ? '' : 'Your session has ended; please sign in again.');
  else {
    showConnection('Reconnecting…', 'offline');
    if (err.message === ('OPS_UNAVAILABLE' satisfies OpsSocketErrorCode)) window.setTimeout(() => socket.connect(), SESSION_CHECK_RETRY_MS);
  }
});
socket.on('ops:board', (board) => {
  state.load(board);
  view.draw();
  series.load(board.series);
  charts.draw();
  showConnection('Live', 'live');
});
socket.on('ops:move', (move) => {
  state.applyMove(move);
  view.render();
  series.fold(move);
  charts.render();
});
socket.on('ops:error', (error) => {
  state.addError(error);
  view.render();
});

form.addEventListener('submit', (event) => {
  event.preventDefault();
  signInError.textContent = '';
  void (async () => {
    try {
      const response = await fetch('/ops/session', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token: tokenInput.value }),
      });
      if (response.status === 204) {
        tokenInput.value = '';
        socket.connect();
        return;
      }
      signInError.textContent =
        response.status === 401
          ? 'That is not the operator token.'
          : response.status === 429
            ? 'Too many attempts; wait a minute.'
            : `Sign-in failed (HTTP ${response.status}).`;
    } catch {
      signInError.textContent = 'The BFF could not be reached.';
    }
  })();
});

// Signing out ends the session on the server, for every copy of the cookie; when the server
// cannot record it, the session stays open, and the operator is told so instead of being shown out.
signOut.addEventListener('click', () => {
  void fetch('/ops/session', { method: 'DELETE' }).then(
    (response) => (response.status === 204 ? showSignIn() : showConnection('Sign-out failed; the session is still open. Try again.', 'offline')),
    () => showConnection('Sign-out failed: the BFF could not be reached. Try again.', 'offline'),
  );
});

mountLookup(
  {
    form: byId('lookup-form', HTMLFormElement),
    query: byId('lookup-query', HTMLInputElement),
    message: byId('lookup-message', HTMLElement),
    results: byId('lookup-results', HTMLElement),
  },
  (message) => showSignIn(message),
);

// With a session cookie from before, the socket connects at once; without one, it is refused and the form shows.
socket.connect();
