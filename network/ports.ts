import * as net from 'node:net';
import { PocketE2EError } from './errors';

/** A free TCP port on 127.0.0.1, chosen by the kernel (no fixed ports: parallel workers never collide). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Fails with one line when a host port the user asked for is taken. */
export function assertPortFree(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', () => reject(new PocketE2EError(`host port ${port} is already in use: stop what listens there (e.g. \`ss -ltnp 'sport = :${port}'\`) or choose another port`)));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve()));
  });
}
