/**
 * The entry point: `new PocketNetwork()` (a spec from settings and defaults), `with…()` to shape
 * it, `start()` for a `StartedPocketNetwork`. Start resolves what the spec leaves open (the
 * pocket-core image, the feature keys of its version), then boots (network/boot.ts).
 */
import * as path from 'node:path';
import { bootNetwork } from './boot';
import { useLocalReaper } from './containers';
import { assertDockerEngine } from './docker';
import { PocketE2EError } from './errors';
import { anvilImage } from './images/anvil';
import { pocketCoreImage, type PocketCoreImage } from './images/pocket-core';
import { reapLeftovers } from './reaper';
import { readSettings } from './settings';
import { defaultSpec, LEAN_STAKE_UPOKT, type FeatureSelection, type NetworkSpec, type RelayChainSpec } from './spec';
import type { ExportedState } from './started-network';
import { featureKeysOfModule, LEGACY_FEATURES } from './upgrade';

import { StartedPocketNetwork } from './started-network';
export { StartedPocketNetwork };
export type { ExportedState, NetworkDescription, RelayChainHandle } from './started-network';

export function validateSpec(spec: NetworkSpec): void {
  const bad = (msg: string) => { throw new PocketE2EError(msg); };
  if (!Number.isInteger(spec.nodes) || spec.nodes < 1 || spec.nodes > 16) bad(`nodes must be a whole number from 1 to 16, got ${JSON.stringify(spec.nodes)}: pass e.g. --nodes 4`);
  if (!Number.isInteger(spec.apps) || spec.apps < 0 || spec.apps > 16) bad(`apps must be a whole number from 0 to 16, got ${JSON.stringify(spec.apps)}`);
  if (!Number.isInteger(spec.accounts) || spec.accounts < 0 || spec.accounts > 64) bad(`accounts must be a whole number from 0 to 64, got ${JSON.stringify(spec.accounts)}`);
  for (const l of spec.leanNodes ?? []) {
    if (!Number.isInteger(l.servicers) || l.servicers < 1 || l.servicers > 16) bad(`a lean node serves 1 to 16 servicer keys, got ${JSON.stringify(l.servicers)}`);
    if (!/^\d+$/.test(l.stakeUpokt) || BigInt(l.stakeUpokt) < LEAN_STAKE_UPOKT) bad(`a lean servicer's stake must be whole upokt of at least the stake minimum ${LEAN_STAKE_UPOKT}, got ${JSON.stringify(l.stakeUpokt)}`);
  }
  const validators = spec.nodes + (spec.leanNodes ?? []).reduce((n, l) => n + l.servicers, 0);
  if (!Number.isInteger(spec.sessionNodeCount) || spec.sessionNodeCount < 1 || spec.sessionNodeCount > Math.min(25, validators)) {
    bad(`sessionNodeCount must be from 1 to the servicer count (${validators}), got ${spec.sessionNodeCount}`);
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
  private coreSource?: string;
  private anvilImageName?: string;

  constructor(overrides: Partial<NetworkSpec> = {}) {
    const settings = readSettings();
    this.coreVersion = settings.pocketCoreVersion;
    this.coreImage = settings.pocketCoreImage;
    this.coreSource = settings.pocketCoreSource;
    this.anvilImageName = settings.anvilImage;
    this.spec = defaultSpec({
      nodes: settings.nodes,
      apps: settings.apps,
      features: settings.features,
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
  /**
   * One more container: a LeanPocket process serving `servicers` keys, each staked in genesis as a
   * validator and servicer of every chain with `stakeUpokt` and a service URL of its own (all
   * reaching this process). Call again for another process. Handles: `net.lean(p).servicers`.
   * Give it 2 keys or more: RC-0.12.0's tendermint fork halts a lean process with exactly one key
   * at its first vote ("cannot save FilePVLastSignState: filePath not set").
   */
  withLeanNode(servicers: number, opts: { stakeUpokt?: bigint } = {}): this {
    const lean = { servicers, stakeUpokt: String(opts.stakeUpokt ?? LEAN_STAKE_UPOKT) };
    this.spec = { ...this.spec, leanNodes: [...(this.spec.leanNodes ?? []), lean] };
    return this;
  }
  /** Genesis holds these validators (1-based) jailed; see `NetworkSpec.jailedAtGenesis`. */
  withJailedAtGenesis(...nodes: number[]): this { this.spec = { ...this.spec, jailedAtGenesis: nodes }; return this; }
  withSessionNodeCount(n: number): this { this.spec = { ...this.spec, sessionNodeCount: n }; return this; }
  withTiming(timing: Partial<NetworkSpec['timing']>): this { this.spec = { ...this.spec, timing: { ...this.spec.timing, ...timing } }; return this; }
  withNodeFlags(...flags: NetworkSpec['nodeFlags']): this { this.spec = { ...this.spec, nodeFlags: flags }; return this; }
  /** Exactly these protocol features (none: the chain stays on the legacy codec unless `withCodecUpgrade()`). */
  withFeatures(...features: string[]): this { this.spec = { ...this.spec, features }; return this; }
  /** `mainnet`: every feature key the version's codec knows (the default); `legacy`: NCUST alone. */
  withFeatureProfile(profile: FeatureSelection): this { this.spec = { ...this.spec, features: profile }; return this; }
  /** Protobuf codec without enabling any feature: `.withFeatures().withCodecUpgrade()`. */
  withCodecUpgrade(on = true): this { this.spec = { ...this.spec, codecUpgrade: on }; return this; }
  withChains(...chains: RelayChainSpec[]): this { this.spec = { ...this.spec, chains }; return this; }
  withGenesisOverrides(overrides: Record<string, unknown>): this { this.spec = { ...this.spec, genesisOverrides: overrides }; return this; }
  withSeed(seed: string): this { this.spec = { ...this.spec, seed }; return this; }
  withChainId(chainId: string): this { this.spec = { ...this.spec, chainId }; return this; }
  /**
   * Boots a fresh chain (new chain id) from another network's exported state: same keys, same
   * shape, its accounts, stakes and params as genesis. The export is repaired where pocket-core's
   * own is unbootable (see genesisFromExport), which drops the upgrade record: the DAO's codec
   * and feature upgrades of the source run again after boot. `asIs` boots it exactly as exported.
   */
  withExportedState(exported: ExportedState, opts: { chainId?: string; asIs?: boolean } = {}): this {
    const chainId = opts.chainId ?? `${exported.spec.chainId}-from-${exported.height}`;
    // Repaired, the export carries no upgrade record (genesisFromExport): the source's upgrades run again.
    const protocol = opts.asIs ? { codecUpgraded: false, features: [] } : exported.protocol;
    this.spec = { ...exported.spec, chainId, features: protocol.features, codecUpgrade: protocol.codecUpgraded, genesisOverrides: undefined, exportedGenesis: exported.genesis, exportedGenesisAsIs: opts.asIs };
    return this;
  }
  /**
   * A pocket-core Go module version (tag, pseudo-version) to build; default POCKET_CORE_VERSION.
   * Always a module version, even under POCKET_CORE_SRC (a rolling upgrade starts from an older release).
   */
  withPocketCoreVersion(version: string): this { this.coreVersion = version; this.coreImage = undefined; this.coreSource = undefined; return this; }
  /** A prebuilt local image with `pocket` on PATH and /bin/sh; default POCKET_CORE_IMAGE. */
  withPocketCoreImage(image: string): this { this.coreImage = image; this.coreSource = undefined; return this; }
  /** A pocket-core working tree compiled as it is (uncommitted changes included); default POCKET_CORE_SRC. */
  withPocketCoreSource(dir: string): this { this.coreSource = path.resolve(dir); this.coreImage = undefined; return this; }

  getSpec(): Readonly<NetworkSpec> {
    return this.spec;
  }

  async start(): Promise<StartedPocketNetwork> {
    validateSpec(this.spec);
    await assertDockerEngine();
    const core = await pocketCoreImage({ version: this.coreVersion, userImage: this.coreImage, sourceDir: this.coreSource });
    const features = resolveFeatures(this.spec.features, core);
    const needsAnvil = this.spec.chains.some((c) => c.kind === 'evm-anvil');
    const anvil = needsAnvil ? await anvilImage(this.anvilImageName) : undefined;
    await useLocalReaper();
    await reapLeftovers();
    for (let attempt = 1; ; attempt++) {
      try {
        return await bootNetwork({ ...this.spec, features }, core, anvil);
      } catch (err) {
        if (!(err instanceof PocketE2EError && err.retryable && attempt < 3)) throw err;
        process.stderr.write(`[pocket-e2e] ${err.message} (attempt ${attempt} of 3)\n`);
      }
    }
  }
}


/** The feature keys a selection means for the version that runs: read from its codec, never a list kept here. */
export function resolveFeatures(selection: FeatureSelection, core: PocketCoreImage): string[] {
  if (selection === 'legacy') return [...LEGACY_FEATURES];
  const known = core.core ? featureKeysOfModule(core.core.moduleDir) : undefined;
  if (selection === 'mainnet') {
    if (!known) throw new PocketE2EError(`the feature keys of ${core.appVersion} (${core.image}) are unknown: its source is not served by the Go module proxy; set POCKET_E2E_FEATURES to a comma-separated list of keys (or legacy)`);
    return known;
  }
  const unknown = known ? selection.filter((f) => !known.includes(f)) : [];
  if (unknown.length) throw new PocketE2EError(`${core.appVersion} knows no protocol feature ${unknown.join(', ')}: use keys from its codec (${known!.join(', ')})`);
  return selection;
}
