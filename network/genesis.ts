import { deriveKey, type PocketKey } from './keys';
import {
  DAO_TOKENS,
  UPOKT_PER_ACCOUNT,
  UPOKT_PER_APP,
  UPOKT_PER_VALIDATOR,
  type ExportedGenesis,
  type NetworkSpec,
} from './spec';

/** The keys behind a network: who validates, who is an app, who pays, who owns the DAO. */
export interface NetworkKeys {
  validators: PocketKey[];
  apps: PocketKey[];
  accounts: PocketKey[];
  daoOwner: PocketKey;
  /** Servicer keys of each LeanPocket process (spec.leanNodes), staked as validators too. */
  lean: PocketKey[][];
}

export function deriveNetworkKeys(spec: Pick<NetworkSpec, 'seed' | 'nodes' | 'apps' | 'accounts' | 'leanNodes'>): NetworkKeys {
  const range = (n: number, label: string) => Array.from({ length: n }, (_, i) => deriveKey(spec.seed, `${label}/${i + 1}`));
  return {
    validators: range(spec.nodes, 'validator'),
    lean: (spec.leanNodes ?? []).map((l, p) => range(l.servicers, `lean/${p + 1}/servicer`)),
    apps: range(spec.apps, 'app'),
    accounts: range(spec.accounts, 'account'),
    daoOwner: deriveKey(spec.seed, 'dao-owner'),
  };
}

/** Docker network alias of node i (1-based): pocket-core wants a dotted host in service URLs. */
export const nodeHost = (index: number) => `node${index}.pokt.local`;
export const serviceUrl = (index: number) => `http://${nodeHost(index)}:8081`;

const NS_PER_SECOND = 1_000_000_000n;
const UNBONDED_FOREVER = '0001-01-01T00:00:00Z';
const STAKED = 2;

/**
 * Param keys a DAO owner may change. The ACL must name real params only (pocket-core rejects
 * unknown keys at genesis), so this lists the params every Morse version since RC-0.5 has.
 */
export const ACL_KEYS = [
  'application/ApplicationStakeMinimum', 'application/AppUnstakingTime', 'application/BaseRelaysPerPOKT',
  'application/MaxApplications', 'application/MaximumChains', 'application/ParticipationRateOn',
  'application/StabilityAdjustment',
  'auth/MaxMemoCharacters', 'auth/TxSigLimit', 'auth/FeeMultipliers',
  'gov/acl', 'gov/daoOwner', 'gov/upgrade',
  'pocketcore/ClaimExpiration', 'pocketcore/ClaimSubmissionWindow', 'pocketcore/MinimumNumberOfProofs',
  'pocketcore/ReplayAttackBurnMultiplier', 'pocketcore/SessionNodeCount', 'pocketcore/SupportedBlockchains',
  'pos/BlocksPerSession', 'pos/DAOAllocation', 'pos/DowntimeJailDuration', 'pos/MaxEvidenceAge',
  'pos/MaximumChains', 'pos/MaxJailedBlocks', 'pos/MaxValidators', 'pos/MinSignedPerWindow',
  'pos/ProposerPercentage', 'pos/RelaysToTokensMultiplier', 'pos/SignedBlocksWindow', 'pos/SlashFractionDoubleSign',
  'pos/SlashFractionDowntime', 'pos/StakeDenom', 'pos/StakeMinimum', 'pos/UnstakingTime',
] as const;

/** Protocol params of a test network, in the units pocket-core's genesis uses (strings for big numbers). */
export function protocolParams(spec: NetworkSpec) {
  const chainIds = spec.chains.map((c) => c.id);
  const seconds = (s: number) => (BigInt(s) * NS_PER_SECOND).toString();
  return {
    pos: {
      relays_to_tokens_multiplier: '1000',
      unstaking_time: seconds(spec.timing.unstakingSeconds),
      max_validators: '1000',
      stake_denom: 'upokt',
      stake_minimum: '15000000000',
      session_block_frequency: String(spec.timing.blocksPerSession),
      dao_allocation: '10',
      proposer_allocation: '1',
      maximum_chains: '15',
      max_jailed_blocks: '1000',
      max_evidence_age: seconds(120),
      signed_blocks_window: String(spec.timing.signedBlocksWindow),
      min_signed_per_window: '0.600000000000000000',
      downtime_jail_duration: seconds(spec.timing.downtimeJailSeconds),
      slash_fraction_double_sign: '0.050000000000000000',
      slash_fraction_downtime: '0.000001000000000000',
    },
    application: {
      unstaking_time: seconds(spec.timing.unstakingSeconds),
      max_applications: '1000',
      app_stake_minimum: '1000000',
      base_relays_per_pokt: '100',
      stability_adjustment: '0',
      participation_rate_on: false,
      maximum_chains: '15',
    },
    pocketcore: {
      session_node_count: String(spec.sessionNodeCount),
      // ClaimSubmissionWindow in code: sessions a servicer has to get its claim into a block (≥ 2).
      // 3 leaves room for a loaded machine; × blocks_per_session + blocks_per_session stays below
      // max_claim_age_for_proof_retry (32).
      proof_waiting_period: '3',
      supported_blockchains: chainIds,
      claim_expiration: '24',
      replay_attack_burn_multiplier: '3',
      minimum_number_of_proofs: '3',
      block_byte_size: DEFAULT_BLOCK_BYTES,
    },
    // default 1: every message costs its base fee (10000 upokt); without it the minimum fee is 0.
    auth: { max_memo_characters: '75', tx_sig_limit: '7', fee_multipliers: { fee_multiplier: [], default: '1' } },
  };
}

/** Relays an app may send per session: pocket-core's formula for a stake (no stability adjustment). */
export function maxRelaysForStake(stakeUpokt: bigint, baseRelaysPerPokt = 100n): bigint {
  return (stakeUpokt / 1_000_000n) * baseRelaysPerPokt / 100n;
}

function account(key: PocketKey, amount: bigint) {
  return {
    type: 'posmint/Account',
    value: {
      address: key.address,
      coins: [{ denom: 'upokt', amount: amount.toString() }],
      public_key: { type: 'crypto/ed25519_public_key', value: key.publicKey },
    },
  };
}

/** A tendermint GenesisDoc with pocket-core's app_state, written by us from the spec. */
export function buildGenesis(
  spec: NetworkSpec,
  keys: NetworkKeys,
  genesisTime = new Date(),
  serviceUrls: string[] = keys.validators.map((_, i) => serviceUrl(i + 1)),
  /** Per lean process, the service URL of each of its servicers (all reach that one process). */
  leanServiceUrls: string[][] = keys.lean.map((ks, p) => ks.map(() => `http://lean${p + 1}.pokt.local:8081`)),
) {
  const params = protocolParams(spec);
  const chainIds = spec.chains.map((c) => c.id);
  const jailed = new Set(spec.jailedAtGenesis ?? []);
  const validator = (k: PocketKey, tokens: bigint | string, url: string, jailedAtGenesis = false) => ({
    address: k.address,
    public_key: k.publicKey,
    jailed: jailedAtGenesis,
    status: STAKED,
    tokens: tokens.toString(),
    service_url: url,
    chains: chainIds,
    unstaking_time: UNBONDED_FOREVER,
  });
  const validators = [
    ...keys.validators.map((k, i) => validator(k, UPOKT_PER_VALIDATOR, serviceUrls[i], jailed.has(i + 1))),
    ...keys.lean.flatMap((ks, p) => ks.map((k, i) => validator(k, spec.leanNodes![p].stakeUpokt, leanServiceUrls[p][i]))),
  ];
  const applications = keys.apps.map((k) => ({
    address: k.address,
    public_key: k.publicKey,
    jailed: false,
    chains: chainIds,
    max_relays: maxRelaysForStake(UPOKT_PER_APP).toString(),
    staked_tokens: UPOKT_PER_APP.toString(),
    status: STAKED,
    unstaking_time: UNBONDED_FOREVER,
  }));
  // Validators and apps get spare coins too, so they can pay fees for edits, unjails and unstakes.
  const accounts = [
    ...keys.validators.map((k) => account(k, UPOKT_PER_ACCOUNT)),
    ...keys.lean.flat().map((k) => account(k, UPOKT_PER_ACCOUNT)),
    ...keys.apps.map((k) => account(k, UPOKT_PER_ACCOUNT)),
    ...keys.accounts.map((k) => account(k, UPOKT_PER_ACCOUNT)),
    account(keys.daoOwner, UPOKT_PER_ACCOUNT),
  ];
  const appState = {
    auth: { params: params.auth, accounts, supply: [] },
    pos: {
      params: params.pos,
      prevState_total_power: '0',
      prevState_validator_powers: null,
      validators,
      exported: false,
      signing_infos: {},
      missed_blocks: {},
      previous_proposer: '',
    },
    application: { params: params.application, applications, exported: false },
    pocketcore: { params: params.pocketcore, receipts: null, claims: null },
    gov: {
      params: {
        acl: ACL_KEYS.map((acl_key) => ({ acl_key, address: keys.daoOwner.address })),
        dao_owner: keys.daoOwner.address,
        upgrade: { Height: '0', Version: '0.0.0' },
      },
      DAO_Tokens: DAO_TOKENS.toString(),
    },
  };
  return {
    genesis_time: genesisTime.toISOString(),
    chain_id: spec.chainId,
    consensus_params: {
      block: { max_bytes: DEFAULT_BLOCK_BYTES, max_gas: '-1', time_iota_ms: '1' },
      evidence: { max_age: '120000000000' },
      validator: { pub_key_types: ['ed25519'] },
    },
    app_hash: '',
    app_state: deepMerge(appState, spec.genesisOverrides ?? {}),
  };
}

export type Genesis = ReturnType<typeof buildGenesis>;

/** pocket-core's DefaultBlockByteSize (4 MB), also what generated genesis files use. */
export const DEFAULT_BLOCK_BYTES = '4000000';

/**
 * A fresh chain's genesis from exported state: the new chain id and start time, and the service
 * URLs of the validators this network runs (by address) pointed at their new host ports.
 *
 * `repair` works around two pocket-core RC-0.9.2 defects that make its own export unbootable
 * (both stated as known-upstream tests in tests/resilience/state-export.spec.ts):
 *  - block.max_bytes is exported from the BlockByteSize param, which reads 0 until the BLOCK
 *    feature sets it, and a genesis with 0 is refused; pocket-core's default fills the gap;
 *  - module accounts (staking pools, DAO) are exported without a public key, and genesis
 *    validation dereferences it and panics; they are dropped, and the modules recreate them from
 *    the stakes and DAO_Tokens in the same state (the supply is recomputed the same way);
 *  - pos min_signed_per_window is exported as a block count (fraction × signed_blocks_window,
 *    rounded) where genesis wants the fraction, and a value above 1 panics; it is divided back;
 *  - on a chain with features on, the ACL names params that only exist once a feature activated
 *    (pocketcore/BlockByteSize, the PIP-22 and per-chain multiplier params), which genesis refuses
 *    ("invalid ACL: … is not a recognized parameter"); they are dropped, and so is the upgrade
 *    record, which a fresh process would not load (see network/upgrade.ts): the new network
 *    re-runs the DAO's codec and feature upgrades instead.
 */
/** An 18-decimal sdk.Dec string divided by a whole number, exactly (no float rounding). */
export function divideDec(dec: string, by: bigint): string {
  const [whole, frac = ''] = dec.split('.');
  const scaled = BigInt(whole + frac.padEnd(18, '0').slice(0, 18)) / by;
  const digits = scaled.toString().padStart(19, '0');
  return `${digits.slice(0, -18)}.${digits.slice(-18)}`;
}

export function genesisFromExport(exported: ExportedGenesis, chainId: string, genesisTime: Date, serviceUrlOf: Map<string, string>, repair = true): Genesis {
  const doc = structuredClone(exported);
  doc.chain_id = chainId;
  doc.genesis_time = genesisTime.toISOString();
  doc.app_hash = '';
  for (const v of doc.app_state.pos.validators) v.service_url = serviceUrlOf.get(v.address) ?? v.service_url;
  if (repair) {
    const block = (doc.consensus_params as { block?: { max_bytes?: string } } | undefined)?.block;
    if (block && Number(block.max_bytes ?? 0) <= 0) block.max_bytes = DEFAULT_BLOCK_BYTES;
    const pos = (doc.app_state.pos as unknown as { params?: { min_signed_per_window?: string; signed_blocks_window?: string } }).params;
    if (pos?.min_signed_per_window && Number(pos.min_signed_per_window) > 1) {
      pos.min_signed_per_window = divideDec(pos.min_signed_per_window, BigInt(pos.signed_blocks_window ?? '1'));
    }
    const auth = doc.app_state.auth as { accounts: Array<{ type: string }>; supply: unknown[] } | undefined;
    if (auth) {
      auth.accounts = auth.accounts.filter((a) => a.type !== 'posmint/ModuleAccount');
      auth.supply = [];
    }
    const gov = (doc.app_state.gov as { params?: { acl?: Array<{ acl_key: string }>; upgrade?: unknown } } | undefined)?.params;
    if (gov?.acl) gov.acl = gov.acl.filter((e) => (ACL_KEYS as readonly string[]).includes(e.acl_key));
    if (gov) gov.upgrade = { Height: '0', Version: '0.0.0' };
  }
  return doc as unknown as Genesis;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Merges `patch` into `base`; arrays and scalars in the patch replace, objects merge. */
export function deepMerge<T>(base: T, patch: Record<string, unknown>): T {
  if (!isPlainObject(base)) return base;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(patch)) {
    out[k] = isPlainObject(v) && isPlainObject(out[k]) ? deepMerge(out[k], v) : v;
  }
  return out as T;
}
