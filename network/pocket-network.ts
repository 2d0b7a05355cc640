import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  GenericContainer,
  getContainerRuntimeClient,
  getReaper,
  LABEL_TESTCONTAINERS_SESSION_ID,
  StartedNetwork,
  Wait,
  type StartedTestContainer,
} from 'testcontainers';
import { assertDockerEngine } from './docker';
import { PocketE2EError } from './errors';
import { buildGenesis, deriveNetworkKeys, genesisFromExport, nodeHost, type Genesis, type NetworkKeys } from './genesis';
import { anvilImage, type AnvilImage } from './images/anvil';
import { pocketCoreImage, type PocketCoreImage } from './images/pocket-core';
import { progress } from './images/progress';
import { reaperImage } from './images/reaper';
import { tendermintKeyFiles, type PocketKey } from './keys';
import { chainsJson, DATADIR, nodeConfig, peerAddress, RPC_PORT } from './node-config';
import { LogSink, PocketNode } from './pocket-node';
import { pollUntil } from './poll';
import { rpcPost } from './rpc';
import { run } from './process';
import { freePort } from './ports';
import { ownerLabels, reapLeftovers } from './reaper';
import { enableFeatures } from './features';
import { CACHE_DIR, readSettings, RUN_LABEL } from './settings';
import { defaultSpec, type ExportedGenesis, type NetworkSpec, type RelayChainSpec } from './spec';

const ANVIL_HOST = 'anvil.pokt.local';
const BOOT_TIMEOUT_MS = 90_000;

/** A relay chain as the host sees it (to compare relay answers with the chain's own). */
export interface RelayChainHandle extends RelayChainSpec {
  /** URL reachable from the host. */
  hostUrl: string;
  /** URL the nodes use (chains.json). */
  nodeUrl: string;
}

/** The machine-readable description of a running network (printed by `network:up --json`, attached to reports). */
export interface NetworkDescription {
  chainId: string;
  pocketCore: { image: string; imageId: string; source: string; appVersion?: string; moduleVersion?: string; commit?: string };
  nodes: Array<{ name: string; address: string; publicKey: string; rpc: string; serviceUrl: string }>;
  apps: Array<{ address: string; publicKey: string; privateKey: string }>;
  accounts: Array<{ address: string; publicKey: string; privateKey: string }>;
  daoOwner: { address: string; publicKey: string; privateKey: string };
  chains: Array<{ id: string; name: string; url: string }>;
  features: Record<string, number>;
  params: { blockTimeMs: number; blocksPerSession: number; sessionNodeCount: number; nodeFlags: string[] };
  runDir: string;
}

export function validateSpec(spec: NetworkSpec): void {
  const bad = (msg: string) => { throw new PocketE2EError(msg); };
  if (!Number.isInteger(spec.nodes) || spec.nodes < 1 || spec.nodes > 16) bad(`nodes must be a whole number from 1 to 16, got ${JSON.stringify(spec.nodes)}: pass e.g. --nodes 4`);
  if (!Number.isInteger(spec.apps) || spec.apps < 0 || spec.apps > 16) bad(`apps must be a whole number from 0 to 16, got ${JSON.stringify(spec.apps)}`);
  if (!Number.isInteger(spec.accounts) || spec.accounts < 0 || spec.accounts > 64) bad(`accounts must be a whole number from 0 to 64, got ${JSON.stringify(spec.accounts)}`);
  if (!Number.isInteger(spec.sessionNodeCount) || spec.sessionNodeCount < 1 || spec.sessionNodeCount > Math.min(25, spec.nodes)) {
    bad(`sessionNodeCount must be from 1 to the node count (${spec.nodes}), got ${spec.sessionNodeCount}`);
  }
  if (spec.timing.blocksPerSession < 2) bad(`blocksPerSession must be at least 2 (pocket-core's rule), got ${spec.timing.blocksPerSession}`);
  if (spec.timing.downtimeJailSeconds < 60) bad(`downtimeJailSeconds must be at least 60 (pocket-core's rule), got ${spec.timing.downtimeJailSeconds}`);
  if (spec.timing.signedBlocksWindow < 10) bad(`signedBlocksWindow must be at least 10 (pocket-core's rule), got ${spec.timing.signedBlocksWindow}`);
  for (const c of spec.chains) if (!/^[0-9A-Fa-f]{4}$/.test(c.id)) bad(`relay chain id ${JSON.stringify(c.id)} is not 4 hex digits`);
}

/**
 * Builder of a real pocket-core network in Docker, in the style of testcontainers' modules:
 * configure, then `start()` returns a `StartedPocketNetwork` with typed nodes.
 *
 * ```ts
 * const net = await new PocketNetwork().withNodes(4).withApps(2).start();
 * await net.waitForHeight(5);
 * await net.node(2).kill();
 * await net.stop();
 * ```
 */
export class PocketNetwork {
  private spec: NetworkSpec;
  private coreVersion: string;
  private coreImage?: string;
  private anvilImageName?: string;

  constructor(overrides: Partial<NetworkSpec> = {}) {
    const settings = readSettings();
    this.coreVersion = settings.pocketCoreVersion;
    this.coreImage = settings.pocketCoreImage;
    this.anvilImageName = settings.anvilImage;
    this.spec = defaultSpec({
      nodes: settings.nodes,
      apps: settings.apps,
      seed: settings.seed ?? `run-${Date.now().toString(36)}-${process.pid}`,
      ...overrides,
    });
    if (settings.blockTimeMs !== 1000 && !overrides.timing) this.spec.timing = { ...this.spec.timing, blockTimeMs: settings.blockTimeMs };
  }

  withNodes(nodes: number, sessionNodeCount = Math.max(1, Math.min(nodes - 1, 3))): this {
    this.spec = { ...this.spec, nodes, sessionNodeCount };
    return this;
  }
  withApps(apps: number): this { this.spec = { ...this.spec, apps }; return this; }
  withAccounts(accounts: number): this { this.spec = { ...this.spec, accounts }; return this; }
  withSessionNodeCount(n: number): this { this.spec = { ...this.spec, sessionNodeCount: n }; return this; }
  withTiming(timing: Partial<NetworkSpec['timing']>): this { this.spec = { ...this.spec, timing: { ...this.spec.timing, ...timing } }; return this; }
  withNodeFlags(...flags: NetworkSpec['nodeFlags']): this { this.spec = { ...this.spec, nodeFlags: flags }; return this; }
  withFeatures(...features: string[]): this { this.spec = { ...this.spec, features }; return this; }
  /** Protobuf codec without enabling any feature: `.withFeatures().withCodecUpgrade()`. */
  withCodecUpgrade(on = true): this { this.spec = { ...this.spec, codecUpgrade: on }; return this; }
  withChains(...chains: RelayChainSpec[]): this { this.spec = { ...this.spec, chains }; return this; }
  withGenesisOverrides(overrides: Record<string, unknown>): this { this.spec = { ...this.spec, genesisOverrides: overrides }; return this; }
  withSeed(seed: string): this { this.spec = { ...this.spec, seed }; return this; }
  withChainId(chainId: string): this { this.spec = { ...this.spec, chainId }; return this; }
  /**
   * Boots a fresh chain (new chain id) from another network's exported state: same keys, same
   * shape, its accounts, stakes, params and upgrade record as genesis. No DAO actions run at boot:
   * the state already holds them. The export is repaired where pocket-core's own is unbootable
   * (see genesisFromExport); `asIs` boots it exactly as exported.
   */
  withExportedState(exported: ExportedState, opts: { chainId?: string; asIs?: boolean } = {}): this {
    const chainId = opts.chainId ?? `${exported.spec.chainId}-from-${exported.height}`;
    this.spec = { ...exported.spec, chainId, features: [], codecUpgrade: false, genesisOverrides: undefined, exportedGenesis: exported.genesis, exportedGenesisAsIs: opts.asIs };
    return this;
  }
  /** A pocket-core Go module version (tag, pseudo-version) to build; default POCKET_CORE_VERSION. */
  withPocketCoreVersion(version: string): this { this.coreVersion = version; this.coreImage = undefined; return this; }
  /** A prebuilt local image with `pocket` on PATH and /bin/sh; default POCKET_CORE_IMAGE. */
  withPocketCoreImage(image: string): this { this.coreImage = image; return this; }

  getSpec(): Readonly<NetworkSpec> {
    return this.spec;
  }

  async start(): Promise<StartedPocketNetwork> {
    validateSpec(this.spec);
    await assertDockerEngine();
    const core = await pocketCoreImage({ version: this.coreVersion, userImage: this.coreImage });
    const needsAnvil = this.spec.chains.some((c) => c.kind === 'evm-anvil');
    const anvil = needsAnvil ? await anvilImage(this.anvilImageName) : undefined;
    await useLocalReaper();
    await reapLeftovers();
    for (let attempt = 1; ; attempt++) {
      try {
        return await bootNetwork(this.spec, core, anvil);
      } catch (err) {
        if (!(err instanceof PocketE2EError && err.retryable && attempt < 3)) throw err;
        process.stderr.write(`[pocket-e2e] ${err.message} (attempt ${attempt} of 3)\n`);
      }
    }
  }
}

/** Points testcontainers at our Ryuk-compatible reaper (Ryuk itself cannot be pulled). */
async function useLocalReaper(): Promise<void> {
  if (process.env.TESTCONTAINERS_RYUK_DISABLED === 'true' || process.env.RYUK_CONTAINER_IMAGE) return;
  try {
    process.env.RYUK_CONTAINER_IMAGE = await reaperImage();
    process.env.TESTCONTAINERS_RYUK_RECONNECTION_TIMEOUT ??= '5s';
  } catch (err) {
    // Without Go the reaper cannot be built: fall back to reaping by label at the next start.
    process.stderr.write(`[pocket-e2e] reaper unavailable (${(err as Error).message}); leftovers of a killed run are removed at the next start\n`);
    process.env.TESTCONTAINERS_RYUK_DISABLED = 'true';
  }
}

async function createDockerNetwork(runId: string): Promise<StartedNetwork> {
  const client = await getContainerRuntimeClient();
  const reaper = await getReaper(client);
  const name = `pocket-e2e-${runId}`;
  const network = await client.network.create({
    Name: name,
    CheckDuplicate: true,
    Labels: { 'org.testcontainers': 'true', [LABEL_TESTCONTAINERS_SESSION_ID]: reaper.sessionId, [RUN_LABEL]: runId, ...ownerLabels() },
  });
  return new StartedNetwork(client, name, network);
}

/** Waits until each peer's DNS alias exists (tendermint resolves persistent peers once, at start) and starts the node. */
function nodeEntrypoint(peerHosts: string[], flags: string[]): string {
  return [
    'for h in ' + (peerHosts.join(' ') || ':') + '; do',
    '  [ "$h" = ":" ] && break; n=0',
    '  until nslookup "$h" >/dev/null 2>&1; do n=$((n+1)); if [ $n -gt 600 ]; then echo "pocket-e2e: peer $h never appeared in DNS" >&2; exit 1; fi; sleep 0.1; done',
    'done',
    `exec pocket start --datadir=${DATADIR} --keybase=false ${flags.join(' ')}`,
  ].join('\n');
}

async function startAnvil(network: StartedNetwork, image: AnvilImage, labels: Record<string, string>) {
  return new GenericContainer(image.image)
    .withNetworkMode(network.getName())
    .withNetworkAliases(ANVIL_HOST)
    .withExposedPorts(8545)
    .withLabels(labels)
    .withCommand(['anvil', '--host', '0.0.0.0', '--port', '8545', '--block-time', '1'])
    .withWaitStrategy(Wait.forLogMessage(/Listening on/))
    .withStartupTimeout(30_000)
    .start();
}

interface NodePlan {
  index: number;
  key: PocketKey;
  host: string;
  hostPort: number;
  files: Record<string, string>;
  /** A host copy of a node's whole datadir to start from (an upgraded node keeps its data). */
  datadir?: string;
  /** Log file name in the run directory (default node<index>.log). */
  logName?: string;
}

/** What starting one node container needs from its network. */
interface NodeContext {
  spec: NetworkSpec;
  core: PocketCoreImage;
  network: StartedNetwork;
  runDir: string;
  labels: Record<string, string>;
  runId: string;
  sinks: LogSink[];
  containers: StartedTestContainer[];
}

async function startNode(ctx: NodeContext, plan: NodePlan, peerHosts: string[]): Promise<PocketNode> {
  const sink = new LogSink(path.join(ctx.runDir, plan.logName ?? `node${plan.index}.log`));
  ctx.sinks.push(sink);
  const builder = new GenericContainer(ctx.core.image);
  if (plan.datadir) builder.withCopyDirectoriesToContainer([{ source: plan.datadir, target: DATADIR }]);
  const container = await builder
    .withName(`pocket-e2e-${ctx.runId}-node${plan.index}`)
    .withNetworkMode(ctx.network.getName())
    .withNetworkAliases(plan.host)
    .withExposedPorts({ container: RPC_PORT, host: plan.hostPort })
    .withLabels({ ...ctx.labels, 'org.pocket-e2e.node': String(plan.index) })
    .withCopyContentToContainer(Object.entries(plan.files).map(([file, content]) => ({ content, target: `${DATADIR}/${file}` })))
    .withCommand(['sh', '-c', nodeEntrypoint(peerHosts, ctx.spec.nodeFlags)])
    .withLogConsumer(sink.consume)
    .withWaitStrategy(Wait.forLogMessage(/Starting Consensus service/))
    .withStartupTimeout(BOOT_TIMEOUT_MS)
    .start()
    .catch((err: Error) => {
      if (/port is already allocated|address already in use/i.test(err.message)) {
        throw new PocketE2EError(`host port ${plan.hostPort} for node${plan.index} was taken by another program between choosing and binding it: run again`, undefined, true);
      }
      throw new PocketE2EError(`node${plan.index} did not start: ${firstLine(err.message)}`, sink.tail());
    });
  ctx.containers.push(container);
  return new PocketNode(plan.index, `node${plan.index}`, plan.key, plan.host, `http://127.0.0.1:${container.getMappedPort(RPC_PORT)}`, `http://127.0.0.1:${plan.hostPort}`, container, sink, ctx.network.getName());
}

async function bootNetwork(spec: NetworkSpec, core: PocketCoreImage, anvil: AnvilImage | undefined): Promise<StartedPocketNetwork> {
  const p = progress(`network ${spec.chainId}`);
  const runId = `${Date.now().toString(36)}-${process.pid}-${Math.random().toString(36).slice(2, 6)}`;
  const runDir = path.join(CACHE_DIR, 'runs', runId);
  fs.mkdirSync(runDir, { recursive: true });
  const keys = deriveNetworkKeys(spec);
  const labels = { [RUN_LABEL]: runId, ...ownerLabels() };
  p.info(`booting ${spec.nodes} node(s) of ${core.core?.appVersion ?? core.image} (${core.image})`);

  const network = await createDockerNetwork(runId);
  const containers: StartedTestContainer[] = [];
  const sinks: LogSink[] = [];
  let anvilStarting: Promise<StartedTestContainer> | undefined;
  try {
    // The relay target starts beside the nodes: they only call it when relays arrive.
    anvilStarting = anvil ? startAnvil(network, anvil, labels).then((c) => { containers.push(c); return c; }) : undefined;

    // Service URLs are what clients on the host relay to, so they carry host ports chosen now.
    const hostPorts = await Promise.all(keys.validators.map(() => freePort()));
    const serviceUrls = hostPorts.map((port) => `http://127.0.0.1:${port}`);
    const genesis = spec.exportedGenesis
      ? genesisFromExport(spec.exportedGenesis, spec.chainId, new Date(), new Map(keys.validators.map((k, i) => [k.address, serviceUrls[i]])), !spec.exportedGenesisAsIs)
      : buildGenesis(spec, keys, new Date(), serviceUrls);
    const genesisJson = JSON.stringify(genesis, null, 2);
    const chains = JSON.stringify(chainsJson(spec.chains, ANVIL_HOST), null, 2);
    fs.writeFileSync(path.join(runDir, 'genesis.json'), genesisJson);
    fs.writeFileSync(path.join(runDir, 'chains.json'), chains);

    const plans: NodePlan[] = keys.validators.map((key, i) => {
      const peers = keys.validators.map((k, j) => ({ k, j })).filter(({ j }) => j !== i).map(({ k, j }) => peerAddress(k.address, nodeHost(j + 1)));
      const config = JSON.stringify(nodeConfig(spec, `node${i + 1}`, peers), null, 2);
      fs.writeFileSync(path.join(runDir, `node${i + 1}.config.json`), config);
      return {
        index: i + 1,
        key,
        host: nodeHost(i + 1),
        hostPort: hostPorts[i],
        files: {
          'config/genesis.json': genesisJson,
          'config/chains.json': chains,
          'config/config.json': config,
          ...tendermintKeyFiles(key),
        },
      };
    });

    const ctx: NodeContext = { spec, core, network, runDir, labels, runId, sinks, containers };
    const nodes = await Promise.all(plans.map((plan) => startNode(ctx, plan, plans.filter((o) => o.index !== plan.index).map((o) => o.host))));

    const anvilContainer = await anvilStarting;
    const chainHandles: RelayChainHandle[] = spec.chains.map((c) => ({
      ...c,
      nodeUrl: chainsJson([c], ANVIL_HOST)[0].url,
      hostUrl: c.kind === 'evm-anvil' && anvilContainer ? `http://127.0.0.1:${anvilContainer.getMappedPort(8545)}/` : `${nodes[0].rpcUrl}/`,
    }));
    const started = new StartedPocketNetwork(spec, keys, genesis, nodes, chainHandles, core, anvil, anvilContainer, network, runDir, containers, ctx);
    await started.waitForHeight(2, { timeoutMs: BOOT_TIMEOUT_MS, failOnDeadNode: true });
    p.info(`all ${spec.nodes} node(s) at height ≥ 2 (${p.elapsedMs()} ms)`);
    if (spec.codecUpgrade ?? spec.features.length > 0) {
      started.features = await enableFeatures(started, spec.features);
      p.info(`codec upgraded; features on: ${Object.entries(started.features).map(([k, h]) => `${k}@${h}`).join(', ') || 'none'}`);
    }
    fs.writeFileSync(path.join(runDir, 'network.json'), JSON.stringify(started.describe(), null, 2));
    p.done('network up');
    return started;
  } catch (err) {
    await anvilStarting?.catch(() => undefined);
    await Promise.allSettled(containers.map((c) => c.stop({ remove: true, removeVolumes: true, timeout: 0 })));
    await network.stop().catch(() => undefined);
    if (err instanceof PocketE2EError) throw err;
    const dead = sinks.find((s) => s.hasEnded);
    throw new PocketE2EError(`the network did not come up: ${firstLine((err as Error).message)}`, dead?.tail() ?? sinks[0]?.tail());
  }
}

const firstLine = (s: string) => s.split('\n')[0];

/** A network's state at one height, as `/v1/query/state` exports it, with the spec that made the network. */
export interface ExportedState {
  height: number;
  spec: NetworkSpec;
  genesis: ExportedGenesis;
}

/** A running network: its nodes, keys, chains, and what it is made of. */
export class StartedPocketNetwork {
  /** Feature key → activation height, once enabled by the DAO after boot. */
  features: Record<string, number> = {};
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

  /**
   * Replaces node `index`'s binary with `image`, keeping its data, keys, address, ports and
   * peers: the node stops gracefully, its datadir is copied out and into a container of the new
   * image. A node runner's rolling upgrade, one node at a time; `nodes` holds the new node.
   */
  async upgradeNode(index: number, image: PocketCoreImage): Promise<PocketNode> {
    const old = this.node(index);
    await old.stop();
    const saved = path.join(this.runDir, `node${index}-datadir-${Date.now().toString(36)}`);
    const copied = await run('docker', ['cp', `${old.containerId}:${DATADIR}`, saved], { timeoutMs: 120_000 });
    if (copied.code !== 0) throw new PocketE2EError(`could not copy ${old.name}'s datadir out of its container: ${copied.stderr.trim()}`);
    await old.container.stop({ remove: true, timeout: 0 }).catch(() => run('docker', ['rm', '-f', old.containerId]));
    this.containers.splice(this.containers.indexOf(old.container), 1);
    const plan: NodePlan = {
      index,
      key: old.key,
      host: old.host,
      hostPort: Number(new URL(old.serviceUrl).port),
      files: {},
      datadir: saved,
      logName: `node${index}.${image.core?.appVersion ?? 'upgraded'}.log`,
    };
    const node = await startNode({ ...this.nodeContext, core: image }, plan, []);
    this.nodes[index - 1] = node;
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
    return { height: h, spec: this.spec, genesis: res.data };
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
    const secret = (k: PocketKey) => ({ address: k.address, publicKey: k.publicKey, privateKey: k.privateKey });
    return {
      chainId: this.chainId,
      pocketCore: {
        image: this.image.image,
        imageId: this.image.imageId,
        source: this.image.source,
        appVersion: this.image.core?.appVersion,
        moduleVersion: this.image.core?.moduleVersion,
        commit: this.image.core?.commit,
      },
      nodes: this.nodes.map((n) => ({ name: n.name, address: n.address, publicKey: n.key.publicKey, rpc: n.rpcUrl, serviceUrl: n.serviceUrl })),
      apps: this.keys.apps.map(secret),
      accounts: this.keys.accounts.map(secret),
      daoOwner: secret(this.keys.daoOwner),
      chains: this.chains.map((c) => ({ id: c.id, name: c.name, url: c.hostUrl })),
      features: this.features,
      params: {
        blockTimeMs: this.spec.timing.blockTimeMs,
        blocksPerSession: this.spec.timing.blocksPerSession,
        sessionNodeCount: this.spec.sessionNodeCount,
        nodeFlags: this.spec.nodeFlags,
      },
      runDir: this.runDir,
    };
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
