import { io } from 'socket.io-client';

/** One Socket.IO handshake over WebSocket, then closed: 'connected', or the refusal's message. */
export function handshakeOnce(url: string, auth: object, headers: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve) => {
    const socket = io(url, { auth, transports: ['websocket'], reconnection: false, forceNew: true, extraHeaders: headers });
    socket.on('connect', () => {
      socket.close();
      resolve('connected');
    });
    socket.on('connect_error', (err) => {
      socket.close();
      resolve(err.message);
    });
  });
}
