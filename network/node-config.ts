import type { NetworkSpec, RelayChainSpec } from './spec';

export const RPC_PORT = 8081;
export const P2P_PORT = 26656;
export const TENDERMINT_RPC_PORT = 26657;
export const DATADIR = '/home/app/.pocket';

const MS = 1_000_000; // Go durations in config.json are nanoseconds
/** Blocks after its session height a servicer keeps retrying a claim's proof, then drops its evidence. */
export const MAX_CLAIM_AGE_FOR_PROOF_RETRY = 32;

export const PEER_MAJ23_QUERY_MS = 3_600_000;

/**
 * Consensus timeouts derived from a target block time. pocket-core's defaults are mainnet's
 * (a 13-minute commit timeout); a test net wants a block about every `blockTimeMs`.
 */
export function consensusTimeouts(blockTimeMs: number, commitTimeoutMs = blockTimeMs) {
  return {
    // pocket's tendermint picks proposers at random with at least one ticket per validator,
    // whatever its stake (GetProposerRandomized), so a node a test staked without a process gets
    // about as many turns as a real one until it is jailed; each of its turns costs this timeout.
    TimeoutPropose: blockTimeMs * 1.5 * MS,
    TimeoutProposeDelta: (blockTimeMs / 2) * MS,
    TimeoutPrevote: blockTimeMs * MS,
    TimeoutPrevoteDelta: (blockTimeMs / 2) * MS,
    TimeoutPrecommit: blockTimeMs * MS,
    TimeoutPrecommitDelta: (blockTimeMs / 2) * MS,
    TimeoutCommit: commitTimeoutMs * MS,
    SkipTimeoutCommit: false,
    CreateEmptyBlocks: true,
    CreateEmptyBlocksInterval: 0,
    PeerGossipSleepDuration: 50 * MS,
    // Between the codec upgrade and height 30040 pocket's tendermint picks each round's proposer
    // from a hash of the node's own last commit as JSON, and that JSON carries the +2/3 claims
    // peers happened to send it (peer_maj_23s). Sent every few hundred ms, those claims land on
    // each node differently under load: every node then computes another proposer, rounds fail and
    // blocks take seconds (the flakes of #15; `npm run bench:consensus` measures it). The claims
    // only help peers sort out conflicting (Byzantine) votes, so a test net sends them once an hour.
    PeerQueryMaj23SleepDuration: PEER_MAJ23_QUERY_MS * MS,
  };
}

/**
 * The node's config.json. pocket-core unmarshals it over its defaults, so only what a test
 * net changes is written; the datadir comes from `--datadir`.
 */
export function nodeConfig(spec: NetworkSpec, moniker: string, persistentPeers: string[], opts: { fastSync?: boolean } = {}) {
  return {
    tendermint_config: {
      Moniker: moniker,
      // Fast sync waits ~10 s for peers' status before consensus starts; a test net of fresh
      // validators has nothing to sync, and a restarted node catches up through consensus. A node
      // that joins a running chain later has hundreds of blocks to fetch: block sync does that.
      FastSyncMode: opts.fastSync ?? false,
      LogLevel: '*:info, *:error',
      RPC: { ListenAddress: `tcp://127.0.0.1:${TENDERMINT_RPC_PORT}` },
      P2P: {
        ListenAddress: `tcp://0.0.0.0:${P2P_PORT}`,
        PersistentPeers: persistentPeers.join(','),
        AddrBookStrict: false,
        AllowDuplicateIP: true,
        PexReactor: true,
        DialTimeout: 1000 * MS,
        HandshakeTimeout: 5000 * MS,
        FlushThrottleTimeout: 10 * MS,
      },
      Consensus: consensusTimeouts(spec.timing.blockTimeMs, spec.timing.commitTimeoutMs),
      Mempool: { Size: 9000, CacheSize: 9000 },
    },
    pocket_config: {
      rpc_port: String(RPC_PORT),
      tendermint_uri: `tcp://127.0.0.1:${TENDERMINT_RPC_PORT}`,
      remote_cli_url: `http://127.0.0.1:${RPC_PORT}`,
      generate_token_on_start: true,
      max_claim_age_for_proof_retry: MAX_CLAIM_AGE_FOR_PROOF_RETRY,
      client_block_sync_allowance: 10,
      show_relay_errors: true,
      json_sort_relay_responses: true,
      chains_hot_reload: false,
    },
  };
}

/** Where node containers reach each relay chain. */
export function chainUrl(chain: RelayChainSpec, anvilHost: string): string {
  switch (chain.kind) {
    case 'pocket-self':
      return `http://127.0.0.1:${RPC_PORT}/`;
    case 'evm-anvil':
      return `http://${anvilHost}:8545/`;
  }
}

export function chainsJson(chains: RelayChainSpec[], anvilHost: string) {
  return chains.map((chain) => ({ id: chain.id, url: chainUrl(chain, anvilHost), basic_auth: { username: '', password: '' } }));
}

/** Tendermint peer address: the node key is the validator key, so the peer id is the validator address. */
export function peerAddress(validatorAddress: string, host: string): string {
  return `${validatorAddress.toLowerCase()}@${host}:${P2P_PORT}`;
}
