/** A running network: the typed handle a test holds (nodes, keys, chains, faults, upgrades). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { StartedNetwork, StartedTestContainer } from 'testcontainers';
import { startNode, type NodeContext, type NodePlan } from './containers';
import { retireNode, startOfflineNode, type OfflineNode } from './node-maintenance';
import { PocketE2EError } from './errors';
import { nodeHost, type Genesis, type NetworkKeys } from './genesis';
import type { AnvilImage } from './images/anvil';
import type { PocketCoreImage } from './images/pocket-core';
import { tendermintKeyFiles, type PocketKey } from './keys';
import type { LeanNode, LeanServicer } from './lean-node';
import { nodeConfig, peerAddress } from './node-config';
import type { PocketNode } from './pocket-node';
import { pollUntil } from './poll';
import { freePort } from './ports';
import { rpcPost } from './rpc';
import type { ExportedGenesis, NetworkSpec, RelayChainSpec } from './spec';
import { activateProtocol } from './upgrade';
import { describeNetwork, type NetworkDescription } from './network-description';

export type { NetworkDescription } from './network-description';

/** A relay chain as the host sees it (to compare relay answers with the chain's own). */
export interface RelayChainHandle extends RelayChainSpec {
  /** URL reachable from the host. */
  hostUrl: string;
  /** URL the nodes use (chains.json). */
  nodeUrl: string;
}

/** A network's state at one height, as `/v1/query/state` exports it, with the spec that made the network. */
export interface ExportedState {
  height: number;
  spec: NetworkSpec;
  genesis: ExportedGenesis;
  /** The source's codec upgrade and features: a repaired export re-runs them (genesis cannot carry them). */
  protocol: { codecUpgraded: boolean; features: string[] };
}

/** A running network: its nodes, keys, chains, and what it is made of. */
export class StartedPocketNetwork {
  /** Feature key → activation height, once the DAO's upgrade holds them. */
  features: Record<string, number> = {};
  /** Height of the codec upgrade (0 until one ran). */
  protocolUpgradeHeight = 0;
  /** LeanPocket processes (`withLeanNode`): each one is also in `nodes`, after the classic nodes. */
  leanNodes: LeanNode[] = [];
  private stopped = false;

  constructor(
    readonly spec: NetworkSpec,
    readonly keys: NetworkKeys,
    readonly genesis: Genesis,
    readonly nodes: PocketNode[],
    readonly chains: RelayChainHandle[],
    readonly image: PocketCoreImage,
    readonly anvil: AnvilImage | undefined,
    private readonly anvilContainer: StartedTestContainer | undefined,
    private readonly network: StartedNetwork,
    /** Where logs, genesis and configs of this run are written. */
    readonly runDir: string,
    private readonly containers: StartedTestContainer[],
    private readonly nodeContext: NodeContext,
  ) {}

  get chainId(): string {
    return this.spec.chainId;
  }

  /** 1-based, like the node names. */
  node(index: number): PocketNode {
    const node = this.nodes[index - 1];
    if (!node) throw new Error(`no node${index}: the network has ${this.nodes.length} node(s)`);
    return node;
  }

  /** Lean process `p` (1-based, lean1 …). */
  lean(p: number): LeanNode {
    const lean = this.leanNodes[p - 1];
    if (!lean) throw new Error(`no lean${p}: the network has ${this.leanNodes.length} lean process(es)`);
    return lean;
  }

  /** Every servicer of every lean process. */
  get leanServicers(): LeanServicer[] {
    return this.leanNodes.flatMap((l) => l.servicers);
  }

  /**
   * Replaces node `index`'s binary with `image`, keeping its data, keys, address, ports and
   * peers: the node stops gracefully, its datadir is copied out and into a container of the new
   * image. A node runner's rolling upgrade, one node at a time; `nodes` holds the new node.
   */
  async upgradeNode(index: number, image: PocketCoreImage): Promise<PocketNode> {
    const saved = await retireNode(this.nodeContext, this.node(index));
    return this.restartFrom(this.node(index), saved, image, `node${index}.${image.appVersion}.log`);
  }

  /**
   * Takes node `index` down for an operator's offline tools: the node stops gracefully and its
   * datadir moves into a container of the network's image that runs nothing (`OfflineNode`).
   * Until `bringOnline`, `nodes` still lists the stopped node: wait on the others explicitly
   * (`waitForHeight(h, { nodes })`).
   */
  async takeOffline(index: number): Promise<OfflineNode> {
    const node = this.node(index);
    return startOfflineNode(this.nodeContext, node, await retireNode(this.nodeContext, node));
  }

  /**
   * Starts the node again from the datadir as the offline tools left it (same key, ports and peers);
   * `files` (paths under the datadir) are written first, as an operator restores keys or edits a
   * config before `pocket start`. `nodes` holds the new node.
   */
  async bringOnline(offline: OfflineNode, files: Record<string, string> = {}): Promise<PocketNode> {
    const saved = await offline.finish(this.nodeContext);
    for (const [file, content] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(saved, file)), { recursive: true });
      fs.writeFileSync(path.join(saved, file), content);
    }
    return this.restartFrom(offline.node, saved, this.image, `${offline.node.name}.after-maintenance.log`);
  }

  private async restartFrom(old: PocketNode, datadir: string, image: PocketCoreImage, logName: string): Promise<PocketNode> {
    const plan: NodePlan = { index: old.index, key: old.key, host: old.host, hostPort: Number(new URL(old.serviceUrl).port), files: {}, datadir, logName };
    const node = await startNode({ ...this.nodeContext, core: image }, plan, []);
    this.nodes[old.index - 1] = node;
    return node;
  }

  /**
   * Starts one more full node from this network's genesis, peered with every node and caught up by
   * block sync: how a node runner joins. It holds `key` as its validator key but is not staked:
   * stake it (its service URL is `serviceUrl`) to make it a validator and servicer. It joins
   * `nodes`, so heights, waits, logs on failure and `stop()` include it.
   */
  async addNode(key: PocketKey): Promise<PocketNode> {
    const index = this.nodes.length + 1;
    const host = nodeHost(index);
    const hostPort = await freePort();
    const runDir = this.runDir;
    const config = JSON.stringify(nodeConfig(this.spec, `node${index}`, this.nodes.map((n) => peerAddress(n.address, n.host)), { fastSync: true }), null, 2);
    fs.writeFileSync(path.join(runDir, `node${index}.config.json`), config);
    const files = {
      'config/genesis.json': fs.readFileSync(path.join(runDir, 'genesis.json'), 'utf8'),
      'config/chains.json': fs.readFileSync(path.join(runDir, 'chains.json'), 'utf8'),
      'config/config.json': config,
      ...tendermintKeyFiles(key),
    };
    const node = await startNode(this.nodeContext, { index, key, host, hostPort, files }, []);
    this.nodes.push(node);
    return node;
  }

  /**
   * The DAO upgrades the codec to `appVersion`'s (default: the image's), then turns `features` on
   * at one height (network/upgrade.ts); returns once every node has reached it.
   */
  async upgradeProtocol(features: string[], appVersion = this.image.appVersion): Promise<Record<string, number>> {
    const activated = await activateProtocol({
      chainId: this.chainId,
      rpcUrl: this.node(1).rpcUrl,
      daoOwner: this.keys.daoOwner,
      appVersion,
      features,
      currentHeight: () => this.height(),
      waitForHeight: (h) => this.waitForHeight(h),
    });
    this.features = activated.features;
    this.protocolUpgradeHeight = activated.codecHeight;
    return this.features;
  }

  /**
   * Stops every node gracefully and starts them again together, data kept; returns once every node
   * has committed a block since its start. (A start reads state the running processes only had in
   * memory.) Until that first commit a restarted node checks txs against an empty header (height 0,
   * baseapp's initial check state), so a protobuf tx sent then fails with "signature verification
   * failed": seen once as a test's first stake, right after its network booted.
   */
  async restartAll(): Promise<void> {
    const before = await this.height();
    await Promise.all(this.nodes.map((n) => n.stop()));
    await Promise.all(this.nodes.map((n) => n.start()));
    await this.waitForHeight(before + 1, { failOnDeadNode: true });
    // The height reached may have been committed before the stop: wait for one committed after it.
    await this.waitForHeight(Math.max(...(await this.heights()).map((h) => h ?? 0)) + 1, { failOnDeadNode: true });
  }

  chain(id: string): RelayChainHandle {
    const chain = this.chains.find((c) => c.id === id);
    if (!chain) throw new Error(`no relay chain ${id}: the network has ${this.chains.map((c) => c.id).join(', ')}`);
    return chain;
  }

  /** The relay-target container (anvil), for faults on the chain side. */
  get anvilHandle(): StartedTestContainer | undefined {
    return this.anvilContainer;
  }

  /** The chain's state at `height` (default: the last block), ready for `withExportedState`. */
  async exportState(height?: number): Promise<ExportedState> {
    const h = height ?? (await this.node(1).height());
    const res = await rpcPost<ExportedGenesis>(this.node(1).rpcUrl, '/v1/query/state', { height: h }, 30_000);
    if (res.status !== 200 || !res.data?.app_state) throw new PocketE2EError(`node1 did not export the state at height ${h}: HTTP ${res.status} ${JSON.stringify(res.data).slice(0, 200)}`);
    return { height: h, spec: this.spec, genesis: res.data, protocol: { codecUpgraded: this.protocolUpgradeHeight > 0, features: Object.keys(this.features) } };
  }

  /** Heights of every node (undefined where a node does not answer). */
  async heights(): Promise<Array<number | undefined>> {
    return Promise.all(this.nodes.map((n) => n.height().catch(() => undefined)));
  }

  /** Waits until every node (or the ones given) reports a height ≥ h. */
  async waitForHeight(
    h: number,
    opts: { timeoutMs?: number; nodes?: PocketNode[]; failOnDeadNode?: boolean } = {},
  ): Promise<number> {
    const nodes = opts.nodes ?? this.nodes;
    const timeoutMs = opts.timeoutMs ?? Math.max(30_000, h * this.spec.timing.blockTimeMs * 4);
    return pollUntil(async () => {
      if (opts.failOnDeadNode) {
        const dead = nodes.find((n) => n.logs.hasEnded);
        if (dead) throw new PocketE2EError(`${dead.name} exited during boot: see its log below`, dead.logs.tail());
      }
      const heights = await Promise.all(nodes.map((n) => n.height().catch(() => -1)));
      const min = Math.min(...heights);
      return min >= h ? min : undefined;
    }, { timeoutMs, intervalMs: 200, what: `height ${h} on ${nodes.map((n) => n.name).join(', ')}` }).catch((err) => {
      if (err instanceof PocketE2EError) throw err;
      throw new PocketE2EError(`${(err as Error).message}: see the node logs in ${this.runDir}`);
    });
  }

  /** The highest height any node reports. */
  async height(): Promise<number> {
    const heights = (await this.heights()).filter((h): h is number => h !== undefined);
    if (!heights.length) throw new Error('no node answers a height query');
    return Math.max(...heights);
  }

  describe(): NetworkDescription {
    return describeNetwork(this);
  }

  /** Removes every container and the Docker network; safe to call twice. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await Promise.allSettled(this.containers.map((c) => c.stop({ remove: true, removeVolumes: true, timeout: 0 })));
    await this.network.stop().catch(() => undefined);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }
}
