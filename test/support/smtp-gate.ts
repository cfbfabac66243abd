import net from 'node:net';
import { testServers } from './test-env';

/**
 * An SMTP relay that can be down: while closed it drops every connection (mail.send fails and
 * Temporal retries it), once open it forwards to the test SMTP server.
 */
export async function startSmtpGate(): Promise<{ url: string; open(): void; close(): void; stop(): Promise<void> }> {
  const upstream = new URL(testServers().smtpUrl);
  let open = true;
  // Closing also drops the connections the mailer's pool keeps open.
  const connections = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    if (!open) return socket.destroy();
    const relay = net.connect(Number(upstream.port), upstream.hostname);
    connections.add(socket);
    socket.on('close', () => connections.delete(socket));
    socket.pipe(relay).pipe(socket);
    relay.on('error', () => socket.destroy());
    relay.on('close', () => socket.destroy());
    socket.on('error', () => relay.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  const url = new URL(upstream.href);
  url.hostname = '127.0.0.1';
  url.port = String(port);
  return {
    url: url.href,
    open: () => (open = true),
    close: () => {
      open = false;
      for (const socket of connections) socket.destroy();
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
