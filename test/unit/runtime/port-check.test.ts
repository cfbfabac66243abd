import { describe, expect, it } from '@jest/globals';
import net from 'node:net';
import { findFreePort } from '../../../runtime/port-check';

const bind = (port: number) =>
  new Promise<net.Server>((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen({ port, host: '127.0.0.1' }, () => resolve(server));
  });

describe('findFreePort', () => {
  it('picks bindable ports below the range the OS gives outgoing connections', async () => {
    for (let i = 0; i < 20; i++) {
      const port = await findFreePort();
      expect(port).toBeGreaterThanOrEqual(20_000);
      expect(port).toBeLessThan(32_768);
      const server = await bind(port);
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
