import { PocketE2EError } from './errors';
import type { PocketNode } from './pocket-node';
import { pollUntil } from './poll';
import { rpcPost } from './rpc';

/**
 * pocket-core's own CLI inside a node container, as a node runner or the DAO would use it.
 * Keys in a node's keybase have an empty passphrase: `gov enable` has no --pwd flag and reads the
 * passphrase from a terminal, so without one it reads an empty passphrase (test nets only).
 */
export async function daoCli(node: PocketNode, args: string[], what: string): Promise<string> {
  const res = await node.pocketCli(args);
  const out = `${res.stdout}\n${res.stderr}`;
  if (res.exitCode !== 0) throw new PocketE2EError(`the DAO could not ${what}: ${out.trim().split('\n').filter(Boolean).pop()}`);
  return out;
}

export interface CliTxResult {
  hash: string;
  code: number;
  log: string;
  height: number;
}

/** Waits until a transaction is in a block on `rpcUrl`; returns its result whatever the code. */
export function committedTx(rpcUrl: string, hash: string, what: string, timeoutMs = 30_000): Promise<CliTxResult> {
  return pollUntil(async () => {
    const res = await rpcPost<{ height?: number; tx_result?: { code: number; log: string } }>(rpcUrl, '/v1/query/tx', { hash });
    return res.status === 200 && res.data.tx_result ? { hash, code: res.data.tx_result.code, log: res.data.tx_result.log, height: Number(res.data.height) } : undefined;
  }, { timeoutMs, intervalMs: 300, what: `the ${what} transaction ${hash} in a block` });
}

/** Sends a transaction with the CLI and waits until it is in a block; returns its result whatever the code. */
export async function cliTx(node: PocketNode, args: string[], what: string): Promise<CliTxResult> {
  const out = await daoCli(node, args, what);
  const hash = out.match(/"txhash":\s*"([0-9A-Fa-f]{64})"/)?.[1];
  if (!hash) throw new PocketE2EError(`could not ${what}: the node returned no tx hash (${out.trim().split('\n').filter(Boolean).pop()})`);
  return committedTx(node.rpcUrl, hash, what);
}
