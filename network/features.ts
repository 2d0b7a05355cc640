import { PocketE2EError } from './errors';
import { MIN_TX_FEE } from './spec';
import type { StartedPocketNetwork } from './pocket-network';
import type { PocketNode } from './pocket-node';
import { rpcPost } from './rpc';
import { pollUntil } from './poll';

/**
 * The chain's upgrade record (`/v1/query/upgrade`): the codec upgrade height and version, and
 * the protocol features with their activation heights.
 */
export interface UpgradeState {
  height: number;
  version: string;
  features: Record<string, number>;
}

export async function upgradeState(rpcUrl: string): Promise<UpgradeState> {
  const res = await rpcPost<{ Height?: number | string; Version?: string; Features?: string[] | null }>(rpcUrl, '/v1/query/upgrade', { height: 0 });
  const features = Object.fromEntries((res.data?.Features ?? []).map((f) => { const [k, h] = f.split(':'); return [k, Number(h)]; }));
  return { height: Number(res.data?.Height ?? 0), version: String(res.data?.Version ?? ''), features };
}

export async function daoCli(node: PocketNode, args: string[], what: string): Promise<string> {
  // `gov enable` has no --pwd flag and reads the passphrase from a terminal; without one it reads
  // an empty passphrase, so the DAO key is imported with an empty passphrase too (test net only).
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

/**
 * Sends a transaction with pocket-core's CLI (keys in node1's keybase have an empty passphrase)
 * and waits until it is in a block; returns its result whatever the code.
 */
export async function cliTx(node: PocketNode, args: string[], what: string): Promise<CliTxResult> {
  const out = await daoCli(node, args, what);
  const hash = out.match(/"txhash":\s*"([0-9A-Fa-f]{64})"/)?.[1];
  if (!hash) throw new PocketE2EError(`could not ${what}: the node returned no tx hash (${out.trim().split('\n').filter(Boolean).pop()})`);
  return pollUntil(async () => {
    const res = await rpcPost<{ height?: number; tx_result?: { code: number; log: string } }>(node.rpcUrl, '/v1/query/tx', { hash });
    return res.status === 200 && res.data.tx_result ? { hash, code: res.data.tx_result.code, log: res.data.tx_result.log, height: Number(res.data.height) } : undefined;
  }, { timeoutMs: 30_000, intervalMs: 300, what: `the ${what} transaction ${hash} in a block` });
}

/** A DAO transaction that must succeed (boot-time governance). */
async function daoTx(node: PocketNode, args: string[], what: string): Promise<void> {
  const result = await cliTx(node, args, what);
  if (result.code !== 0) throw new PocketE2EError(`the DAO could not ${what}: tx ${result.hash} failed with code ${result.code}: ${result.log}`);
}

/** Blocks of margin between submitting an upgrade and its height, so a slow block cannot overtake it. */
const UPGRADE_MARGIN = 4;

/** The AppVersion a node's binary reports (`pocket version`), e.g. RC-0.9.2. */
export async function appVersionOf(node: PocketNode): Promise<string> {
  const res = await node.exec(['pocket', 'version']);
  const version = res.stdout.match(/AppVersion:\s*(\S+)/)?.[1];
  if (!version) throw new PocketE2EError(`cannot read ${node.name}'s version (pocket version said: ${res.stdout.trim() || res.stderr.trim()})`);
  return version;
}

/** An AppVersion as the gov module compares it in upgrade records: without its tag (RC-0.9.2 → 0.9.2). */
export function govVersion(appVersion: string): string {
  return appVersion.includes('-') ? appVersion.split('-').slice(1).join('-') : appVersion;
}

/**
 * Brings a fresh chain to the protocol state pocket-js 0.9.2-rc expects, the way the DAO did on
 * mainnet, with pocket-core's own CLI inside node1 (pocket-js has no governance messages):
 * 1. `gov upgrade` to the running version: the codec switches from amino to protobuf and the
 *    state is converted at that height (a fresh chain starts on the legacy codec);
 * 2. `gov enable` for each feature (e.g. NCUST for the v8 staking messages).
 * Returns feature → activation height, once every height has passed.
 */
export async function enableFeatures(net: StartedPocketNetwork, features: string[]): Promise<Record<string, number>> {
  const node = net.node(1);
  const dao = net.keys.daoOwner.address;
  const fee = String(MIN_TX_FEE);
  await daoCli(node, ['accounts', 'import-raw', net.keys.daoOwner.privateKey], 'import its key into node1');

  const codecAt = (await net.height()) + UPGRADE_MARGIN;
  await daoTx(node, ['gov', 'upgrade', dao, String(codecAt), govVersion(await appVersionOf(node)), net.chainId, fee], 'upgrade the codec');
  if ((await upgradeState(node.rpcUrl)).height !== codecAt) throw new PocketE2EError(`the codec upgrade was committed but /v1/query/upgrade does not show height ${codecAt}`);
  await net.waitForHeight(codecAt + 1);

  for (const feature of features) {
    const at = (await net.height()) + UPGRADE_MARGIN;
    await daoTx(node, ['gov', 'enable', dao, String(at), feature, net.chainId, fee], `enable feature ${feature}`);
    if (!(await upgradeState(node.rpcUrl)).features[feature]) throw new PocketE2EError(`the DAO enabled ${feature} but /v1/query/upgrade does not list it`);
  }
  const active = (await upgradeState(node.rpcUrl)).features;
  await net.waitForHeight(Math.max(codecAt, ...features.map((f) => active[f] ?? 0)) + 1);
  return active;
}
