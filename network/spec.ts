/**
 * What a network is made of: the input of `PocketNetwork`. Everything has a default tuned for
 * fast, deterministic regression runs (blocks of about a second, sessions of a few blocks).
 */
/** `mainnet`: every feature the version knows; `legacy`: NCUST alone; or exactly these keys. */
export type FeatureSelection = 'mainnet' | 'legacy' | string[];

export interface RelayChainSpec {
  /** 4-hex-digit Pocket chain id, e.g. `0001`. */
  id: string;
  /** Human name for reports. */
  name: string;
  /** How nodes reach the chain (a URL inside the Docker network, or `self` for the node's own RPC). */
  kind: 'pocket-self' | 'evm-anvil';
}

export interface TimingSpec {
  /** Target block time in ms; consensus timeouts are derived from it. */
  blockTimeMs: number;
  /**
   * How long a node waits after committing a block for the remaining precommits (tendermint's
   * timeout_commit; default `blockTimeMs`). See `consensusTimeouts` for why it matters here.
   */
  commitTimeoutMs?: number;
  /** Blocks per session (`pos/BlocksPerSession`, ≥ 2). */
  blocksPerSession: number;
  /** Node and app unstaking time in seconds. */
  unstakingSeconds: number;
  /** Jail duration in seconds after downtime (pocket-core refuses less than 60). */
  downtimeJailSeconds: number;
  /** Sign window in blocks. */
  signedBlocksWindow: number;
}

export interface NetworkSpec {
  chainId: string;
  /** Seed for every key of the network: same seed, same addresses. */
  seed: string;
  /** Validators, each also a servicer of every chain. */
  nodes: number;
  /** Staked applications, each staked for every chain. */
  apps: number;
  /** Funded, unstaked accounts handed to tests. */
  accounts: number;
  /** Servicers per session; must stay below `nodes` so one node is always outside a session. */
  sessionNodeCount: number;
  chains: RelayChainSpec[];
  timing: TimingSpec;
  /** Extra `pocket start` flags on every node. */
  nodeFlags: Array<'--simulateRelay' | '--allblocktxs' | '--profileApp'>;
  /**
   * Protocol features the DAO turns on in the first blocks, with the codec upgrade, in one
   * transaction: `mainnet` (every key the version's codec knows), `legacy` (NCUST) or a list.
   */
  features: FeatureSelection;
  /**
   * Run the DAO's codec upgrade (amino → protobuf, which pocket-js 0.9.x speaks) after boot.
   * Default: whenever features are enabled; a network with neither stays on the legacy codec.
   */
  codecUpgrade?: boolean;
  /** Deep-merged over the generated genesis `app_state` (module → params...). */
  genesisOverrides?: Record<string, unknown>;
  /**
   * A genesis document exported from a running network (`/v1/query/state`) to boot from instead
   * of a generated one; the keys (same seed) must be the exporting network's.
   */
  exportedGenesis?: ExportedGenesis;
  /** Boot the export exactly as pocket-core wrote it, without `genesisFromExport`'s repairs. */
  exportedGenesisAsIs?: boolean;
  /** LeanPocket processes (RC-0.10+), each one container serving several staked servicer keys (network/lean-node.ts). */
  leanNodes?: LeanNodeSpec[];
  /**
   * Validators (1-based node numbers) that genesis holds staked but jailed: their process runs
   * and syncs, tendermint's set leaves them out until they unjail.
   */
  jailedAtGenesis?: number[];
}

/** One LeanPocket process: `servicers` keys, each staked in genesis for every chain with `stakeUpokt`. */
export interface LeanNodeSpec {
  servicers: number;
  /** upokt per servicer, a decimal string (specs are JSON); default LEAN_STAKE_UPOKT. */
  stakeUpokt: string;
}

/** pocket-core's `/v1/query/state` answer: a genesis document whose app_state is the chain's state. */
export interface ExportedGenesis {
  chain_id: string;
  app_state: { pos: { validators: Array<{ address: string; service_url: string }> } } & Record<string, unknown>;
  [field: string]: unknown;
}

export const POCKET_CHAIN: RelayChainSpec = { id: '0001', name: 'Pocket (self)', kind: 'pocket-self' };
export const EVM_CHAIN: RelayChainSpec = { id: '0021', name: 'EVM dev chain (anvil)', kind: 'evm-anvil' };

export const UPOKT_PER_VALIDATOR = 100_000_000_000n;
export const UPOKT_PER_APP = 100_000_000_000n;
export const UPOKT_PER_ACCOUNT = 1_000_000_000_000n;
export const DAO_TOKENS = 1_000_000_000_000n;
export const MIN_TX_FEE = 10_000n;
/**
 * A lean servicer's default stake: the stake minimum (15,000 POKT), a sixth of a classic
 * validator's, so a network of classic validators keeps over 2/3 of the voting power (and makes
 * blocks) while a lean process is down.
 */
export const LEAN_STAKE_UPOKT = 15_000_000_000n;

export function defaultSpec(overrides: Partial<NetworkSpec> = {}): NetworkSpec {
  const nodes = overrides.nodes ?? 4;
  return {
    chainId: 'pocket-e2e',
    seed: 'default',
    nodes,
    apps: 2,
    accounts: 64,
    sessionNodeCount: Math.max(1, Math.min(nodes - 1, 3)),
    chains: [POCKET_CHAIN, EVM_CHAIN],
    timing: { blockTimeMs: 1000, blocksPerSession: 4, unstakingSeconds: 20, downtimeJailSeconds: 60, signedBlocksWindow: 10 },
    nodeFlags: ['--simulateRelay', '--allblocktxs'],
    features: 'mainnet',
    ...overrides,
  };
}
