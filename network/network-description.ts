/** The machine-readable description of a running network (printed by `network:up --json`, attached to reports). */
import type { PocketKey } from './keys';
import type { StartedPocketNetwork } from './started-network';

export interface NetworkDescription {
  chainId: string;
  pocketCore: { image: string; imageId: string; source: string; appVersion: string; moduleVersion?: string; commit?: string };
  nodes: Array<{ name: string; address: string; publicKey: string; rpc: string; serviceUrl: string }>;
  /** LeanPocket processes (also in `nodes`, under the first servicer's key) and every servicer they run. */
  lean: Array<{ name: string; rpc: string; servicers: Array<{ address: string; publicKey: string; serviceUrl: string }> }>;
  apps: Array<{ address: string; publicKey: string; privateKey: string }>;
  accounts: Array<{ address: string; publicKey: string; privateKey: string }>;
  daoOwner: { address: string; publicKey: string; privateKey: string };
  chains: Array<{ id: string; name: string; url: string }>;
  /** Protocol feature → activation height (empty on a legacy-codec network). */
  features: Record<string, number>;
  /** Height of the DAO's codec upgrade (0: the chain stays on the legacy amino codec). */
  protocolUpgradeHeight: number;
  params: { blockTimeMs: number; blocksPerSession: number; sessionNodeCount: number; nodeFlags: string[] };
  runDir: string;
}

export function describeNetwork(net: StartedPocketNetwork): NetworkDescription {
  const secret = (k: PocketKey) => ({ address: k.address, publicKey: k.publicKey, privateKey: k.privateKey });
  return {
    chainId: net.chainId,
    pocketCore: {
      image: net.image.image,
      imageId: net.image.imageId,
      source: net.image.source,
      appVersion: net.image.appVersion,
      moduleVersion: net.image.core?.moduleVersion,
      commit: net.image.core?.commit,
    },
    nodes: net.nodes.map((n) => ({ name: n.name, address: n.address, publicKey: n.key.publicKey, rpc: n.rpcUrl, serviceUrl: n.serviceUrl })),
    lean: net.leanNodes.map((l) => ({ name: l.name, rpc: l.process.rpcUrl, servicers: l.servicers.map((s) => ({ address: s.address, publicKey: s.key.publicKey, serviceUrl: s.serviceUrl })) })),
    apps: net.keys.apps.map(secret),
    accounts: net.keys.accounts.map(secret),
    daoOwner: secret(net.keys.daoOwner),
    chains: net.chains.map((c) => ({ id: c.id, name: c.name, url: c.hostUrl })),
    features: net.features,
    protocolUpgradeHeight: net.protocolUpgradeHeight,
    params: {
      blockTimeMs: net.spec.timing.blockTimeMs,
      blocksPerSession: net.spec.timing.blocksPerSession,
      sessionNodeCount: net.spec.sessionNodeCount,
      nodeFlags: net.spec.nodeFlags,
    },
    runDir: net.runDir,
  };
}
