import * as net from 'node:net';
import { PocketE2EError } from './errors';

/**
 * Host ports for node RPC are chosen below the kernel's ephemeral range (where Docker picks the
 * ports it publishes at random), so a port we chose is not handed to another container before
 * ours binds it. Random within the range, checked free, never handed out twice by this process.
 */
const RANGE = { min: 20_000, max: 32_000 };
const handedOut = new Set<number>();

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = RANGE.min + Math.floor(Math.random() * (RANGE.max - RANGE.min));
    if (handedOut.has(port) || !(await isFree(port))) continue;
    handedOut.add(port);
    return port;
  }
  throw new PocketE2EError(`no free TCP port between ${RANGE.min} and ${RANGE.max} on 127.0.0.1: free some ports or stop leftover networks (npm run reap)`);
}
