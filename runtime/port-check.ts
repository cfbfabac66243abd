import net from 'node:net';

export class PortInUseError extends Error {
  constructor(
    readonly port: number,
    readonly variable: string,
  ) {
    super(`Port ${port} is already in use: stop what is using it, or set ${variable} to a free port.`);
    this.name = 'PortInUseError';
  }
}

/** Fails fast with a one-line error instead of a child server's cryptic bind failure. */
export async function assertPortFree(port: number, host: string, variable: string): Promise<void> {
  const free = await new Promise<boolean>((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
  if (!free) throw new PortInUseError(port, variable);
}

/**
 * Ports a test or benchmark server is put on: below the range the OS hands out to outgoing
 * connections (Linux: 32768–60999; macOS and Windows start at 49152). A port picked by asking the
 * OS for port 0 lies inside that range, and in the seconds before a child process binds it, any
 * outgoing connection on the machine (a database client, a gRPC channel) may be given it as its
 * own local port: `npm start` under test once failed with PostgreSQL's "Address already in use".
 */
const PICKED_PORTS = { from: 20_000, to: 32_767 } as const;
const PICK_ATTEMPTS = 50;

/** A port free right now, outside the OS's range for outgoing connections (for tests, which must not collide with `npm start`). */
export async function findFreePort(host = '127.0.0.1'): Promise<number> {
  for (let attempt = 0; attempt < PICK_ATTEMPTS; attempt++) {
    const port = PICKED_PORTS.from + Math.floor(Math.random() * (PICKED_PORTS.to - PICKED_PORTS.from + 1));
    if ((await listenOnce(host, port)) !== null) return port;
  }
  // Crowded: any port the OS offers.
  const port = await listenOnce(host, 0);
  if (port === null) throw new Error('could not determine a free port');
  return port;
}

/** Binds `port` (0: any) and releases it; the port bound, or null when it was taken. */
function listenOnce(host: string, port: number): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', (error: NodeJS.ErrnoException) =>
      error.code === 'EADDRINUSE' || error.code === 'EACCES' ? resolve(null) : reject(error),
    );
    server.listen({ port, host }, () => {
      const address = server.address();
      server.close(() => resolve(address && typeof address === 'object' ? address.port : null));
    });
  });
}
