import { test, expect } from '../../fixtures/pocket';

/**
 * The first block's state is the genesis state. Later tests on the shared network stake nodes and
 * apps and change params of their own, so "equals the genesis" is read there, not at the tip.
 */
const GENESIS_STATE = BigInt(1);

test.describe('chain state equals the genesis we wrote', () => {
  test('the staked nodes are the genesis validators @smoke @critical', async ({ network, chain, sdk }) => {
    const res = await chain.rpc.query.getNodes(sdk.StakingStatus.Staked, sdk.JailedStatus.NA, GENESIS_STATE, '', 1, 100);
    if (res instanceof sdk.RpcError) throw new Error(res.message);
    const onChain = res.nodes.map((n) => ({ address: n.address, publicKey: n.publicKey, chains: [...n.chains].sort(), serviceURL: n.serviceURL.toString().replace(/\/$/, ''), tokens: n.stakedTokens.toString() })).sort((a, b) => a.address.localeCompare(b.address));
    const expected = network.genesis.app_state.pos.validators
      .map((v) => ({ address: v.address, publicKey: v.public_key, chains: [...v.chains].sort(), serviceURL: v.service_url, tokens: v.tokens }))
      .sort((a, b) => a.address.localeCompare(b.address));
    expect(onChain).toEqual(expected);
  });

  test('the staked applications are the genesis apps @smoke @critical', async ({ network, chain, sdk }) => {
    const res = await chain.rpc.query.getApps(sdk.StakingStatus.Staked, GENESIS_STATE, '', 1, 100);
    if (res instanceof sdk.RpcError) throw new Error(res.message);
    const onChain = res.applications.map((a) => ({ address: a.address, publicKey: a.publicKey, chains: [...a.chains].sort(), stake: a.stakedTokens.toString(), maxRelays: a.maxRelays.toString() })).sort((a, b) => a.address.localeCompare(b.address));
    const expected = network.genesis.app_state.application.applications
      .map((a) => ({ address: a.address, publicKey: a.public_key, chains: [...a.chains].sort(), stake: a.staked_tokens, maxRelays: a.max_relays }))
      .sort((a, b) => a.address.localeCompare(b.address));
    expect(onChain).toEqual(expected);
  });

  test('protocol params equal the genesis params @smoke', async ({ network, chain, sdk }) => {
    const pos = await chain.rpc.query.getNodeParams(GENESIS_STATE);
    const pocketcore = await chain.rpc.query.getPocketParams(GENESIS_STATE);
    if (pos instanceof sdk.RpcError || pocketcore instanceof sdk.RpcError) throw new Error('param query failed');
    const g = network.genesis.app_state;
    expect(Number(pos.nodeParams.sessionBlockFrequency)).toBe(Number(g.pos.params.session_block_frequency));
    expect(pos.nodeParams.stakeMinimum.toString()).toBe(g.pos.params.stake_minimum);
    expect(Number(pocketcore.pocketParams.sessionNodeCount)).toBe(Number(g.pocketcore.params.session_node_count));
    expect([...(pocketcore.pocketParams.supportedBlockchains ?? [])].sort()).toEqual([...g.pocketcore.params.supported_blockchains].sort());
  });
});
