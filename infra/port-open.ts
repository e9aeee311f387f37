import { connect } from 'node:net';

/**
 * True when something accepts TCP connections at host:port. A cheap first look before a
 * protocol-level check, which would otherwise spend its whole retry budget on a closed port.
 */
export function isPortOpen(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (open: boolean) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}
