/**
 * LeanPocket (pocket-core RC-0.10+): one pocket-core process serves several servicer keys.
 *
 * How RC-0.12.0 does it (app/config.go, app/tendermint.go, x/pocketcore/keeper/service.go):
 *  - `pocket_config.lean_pocket: true` switches the key files to priv_val_key_lean.json (an amino
 *    JSON array of validator keys), priv_val_state_lean.json (one sign state per key) and
 *    node_key_lean.json (the first key: the P2P identity, so the process's peer id is the first
 *    servicer's address);
 *  - `pocket accounts set-validators <file>` writes those three files from a JSON array of
 *    `{"priv_key": "<128 hex>"}`; `pocket start` does the same from
 *    `<datadir>/<lean_pocket_user_key_file>` (default lean_nodes_keys.json) when the key file is
 *    missing;
 *  - tendermint signs blocks with every key; a relay is served by the key named in its proof
 *    (servicer_pub_key), whatever URL it came in on; each key claims and proves its own evidence.
 * Service URLs are on-chain data only: pocket-core never compares them with the process. Here each
 * servicer gets its own host port, all bound to the one process's RPC port, so every staked URL
 * reaches it (as distinct DNS names pointing at one machine do on mainnet).
 */
import type { NodePlan } from './containers';
import { nodeHost, type NetworkKeys } from './genesis';
import type { PocketKey } from './keys';
import { DATADIR, nodeConfig, peerAddress } from './node-config';
import type { PocketNode } from './pocket-node';
import { freePort } from './ports';
import type { NetworkSpec } from './spec';

/** pocket-core's default `lean_pocket_user_key_file`, read from the datadir. */
export const LEAN_KEYS_FILE = 'lean_nodes_keys.json';
/** What `set-validators` writes in lean mode (types/config.go DefaultPVKNameLean, …). */
export const LEAN_KEY_FILES = { privValKey: 'priv_val_key_lean.json', privValState: 'priv_val_state_lean.json', nodeKey: 'node_key_lean.json' } as const;

export const leanName = (p: number) => `lean${p}`;
export const leanHost = (p: number) => `lean${p}.pokt.local`;

/** One servicer key of a lean process, as a test addresses it. */
export interface LeanServicer {
  key: PocketKey;
  /** Staked service URL (a host port of its process). */
  serviceUrl: string;
  /** The container that runs it (shared with the process's other servicers). */
  process: PocketNode;
  /** Which lean process (lean1, …) and which of its keys (1-based). */
  lean: string;
  index: number;
  address: string;
}

/** A LeanPocket process: its container (also in `net.nodes`) and the servicers it runs. */
export interface LeanNode {
  name: string;
  process: PocketNode;
  servicers: LeanServicer[];
}

/** The key file `pocket accounts set-validators` reads: a JSON array of `{priv_key}` in hex. */
export function leanKeysFile(keys: PocketKey[]): string {
  return JSON.stringify(keys.map((k) => ({ priv_key: k.privateKey })), null, 2);
}

export function leanNodeConfig(spec: NetworkSpec, moniker: string, persistentPeers: string[]) {
  const config = nodeConfig(spec, moniker, persistentPeers);
  return { ...config, pocket_config: { ...config.pocket_config, lean_pocket: true, lean_pocket_user_key_file: LEAN_KEYS_FILE } };
}

/** Host ports and service URLs of every lean servicer, chosen before genesis (which stakes the URLs). */
export interface LeanLayout {
  hostPorts: number[][];
  serviceUrls: string[][];
}

export async function leanLayout(keys: NetworkKeys): Promise<LeanLayout> {
  const hostPorts = await Promise.all(keys.lean.map((ks) => Promise.all(ks.map(() => freePort()))));
  return { hostPorts, serviceUrls: hostPorts.map((ports) => ports.map((port) => `http://127.0.0.1:${port}`)) };
}

/** Peer addresses of the lean processes: the first key of each is its node key. */
export function leanPeers(keys: NetworkKeys): string[] {
  return keys.lean.map((ks, p) => peerAddress(ks[0].address, leanHost(p + 1)));
}

/**
 * One container plan per lean process, numbered after the classic nodes. The process starts from
 * the key file alone: `pocket accounts set-validators` writes its key files on first start (a
 * restart keeps them, and with them the sign states that guard against double signing).
 */
export function leanPlans(spec: NetworkSpec, keys: NetworkKeys, layout: LeanLayout, files: { genesis: string; chains: string }): Array<NodePlan & { config: string }> {
  const classicPeers = keys.validators.map((k, j) => peerAddress(k.address, nodeHost(j + 1)));
  const lean = leanPeers(keys);
  return keys.lean.map((ks, p) => {
    const name = leanName(p + 1);
    const config = JSON.stringify(leanNodeConfig(spec, name, [...classicPeers, ...lean.filter((_, q) => q !== p)]), null, 2);
    const [hostPort, ...extraHostPorts] = layout.hostPorts[p];
    return {
      index: spec.nodes + p + 1,
      name,
      key: ks[0],
      host: leanHost(p + 1),
      hostPort,
      extraHostPorts,
      config,
      files: { 'config/genesis.json': files.genesis, 'config/chains.json': files.chains, 'config/config.json': config, [LEAN_KEYS_FILE]: leanKeysFile(ks) },
      preStart: [
        `if [ ! -f ${DATADIR}/${LEAN_KEY_FILES.privValKey} ]; then`,
        `  pocket accounts set-validators ${DATADIR}/${LEAN_KEYS_FILE} --datadir=${DATADIR} || exit 1`,
        `  [ -f ${DATADIR}/${LEAN_KEY_FILES.privValKey} ] || { echo "pocket-e2e: set-validators wrote no ${LEAN_KEY_FILES.privValKey}" >&2; exit 1; }`,
        'fi',
      ],
    };
  });
}

/** The typed handles of started lean processes (`processes` in the order of `keys.lean`). */
export function leanHandles(keys: NetworkKeys, layout: LeanLayout, processes: PocketNode[]): LeanNode[] {
  return keys.lean.map((ks, p) => {
    const process = processes[p];
    const servicers = ks.map((key, i) => ({ key, address: key.address, serviceUrl: layout.serviceUrls[p][i], process, lean: process.name, index: i + 1 }));
    return { name: process.name, process, servicers };
  });
}
