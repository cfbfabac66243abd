import { createConnection, createServer, type Server, type Socket } from 'node:net';

export interface TcpProxy {
  /** host:port clients connect to instead of the target. */
  port: number;
  /** The target goes away: open connections are reset and new ones refused. */
  cut(): Promise<void>;
  /** The target is back at the same port. */
  restore(): Promise<void>;
  /** The network to the target drops everything: connections are taken but nothing gets through. */
  blackHole(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A TCP forwarder to a server the tests share, so one test can take that server away from its
 * own clients (as a crash or restart would) without stopping it for the others.
 */
export async function startTcpProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;
  let dropping = false;
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const next = createServer((client) => {
        if (dropping) {
          sockets.add(client);
          client.on('close', () => sockets.delete(client));
          client.on('error', () => client.destroy());
          return;
        }
        const upstream = createConnection({ host: targetHost, port: targetPort });
        for (const socket of [client, upstream]) {
          sockets.add(socket);
          socket.on('close', () => sockets.delete(socket));
          socket.on('error', () => socket.destroy());
        }
        client.pipe(upstream).pipe(client);
        client.on('close', () => upstream.destroy());
        upstream.on('close', () => client.destroy());
      });
      next.once('error', reject);
      next.listen(port, '127.0.0.1', () => {
        const address = next.address();
        if (typeof address === 'object' && address) port = address.port;
        server = next;
        resolve();
      });
    });
  const stop = async () => {
    const closing = server;
    server = undefined;
    for (const socket of sockets) socket.resetAndDestroy();
    if (closing) await new Promise<void>((resolve) => closing.close(() => resolve()));
  };
  await listen();
  return {
    port,
    cut: stop,
    restore: async () => {
      dropping = false;
      if (!server) await listen();
    },
    blackHole: async () => {
      // The listener stays: closing and reopening its port can race the kernel's release of it.
      dropping = true;
      for (const socket of sockets) socket.resetAndDestroy();
      if (!server) await listen();
    },
    close: stop,
  };
}
