import { connect, createServer, type Socket } from 'node:net';

export interface TcpSwitch {
  port: number;
  /** New connections go to this port from now on; open ones stay where they are. */
  switchTo: (port: number) => void;
  close: () => Promise<void>;
}

/**
 * The least a load balancer does, for tests that run replicas in-process: pipes each new TCP
 * connection to the current target, so a client whose replica went away reconnects to another.
 */
export async function startTcpSwitch(target: number): Promise<TcpSwitch> {
  const open = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect({ host: '127.0.0.1', port: target });
    for (const socket of [client, upstream]) {
      open.add(socket);
      socket.on('close', () => open.delete(socket));
    }
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('switch has no TCP address');
  return {
    port: address.port,
    switchTo: (port) => (target = port),
    close: () =>
      new Promise((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
