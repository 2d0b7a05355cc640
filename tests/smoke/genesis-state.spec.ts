import { test, expect } from '../../fixtures/pocket';

test.describe('chain state equals the genesis we wrote', () => {
  test('the staked nodes are the genesis validators @smoke @critical', async ({ network, chain, sdk }) => {
    const res = await chain.rpc.query.getNodes(sdk.StakingStatus.Staked, sdk.JailedStatus.NA, BigInt(0), '', 1, 100);
    if (res instanceof sdk.RpcError) throw new Error(res.message);
    const onChain = res.nodes.map((n) => ({ address: n.address, publicKey: n.publicKey, chains: [...n.chains].sort(), serviceURL: n.serviceURL.toString().replace(/\/$/, ''), tokens: n.stakedTokens.toString() })).sort((a, b) => a.address.localeCompare(b.address));
    const expected = network.genesis.app_state.pos.validators
      .map((v) => ({ address: v.address, publicKey: v.public_key, chains: [...v.chains].sort(), serviceURL: v.service_url, tokens: v.tokens }))
      .sort((a, b) => a.address.localeCompare(b.address));
    expect(onChain).toEqual(expected);
  });

  test('the staked applications are the genesis apps @smoke @critical', async ({ network, chain, sdk }) => {
    const res = await chain.rpc.query.getApps(sdk.StakingStatus.Staked, BigInt(0), '', 1, 100);
    if (res instanceof sdk.RpcError) throw new Error(res.message);
    const onChain = res.applications.map((a) => ({ address: a.address, publicKey: a.publicKey, chains: [...a.chains].sort(), stake: a.stakedTokens.toString(), maxRelays: a.maxRelays.toString() })).sort((a, b) => a.address.localeCompare(b.address));
    const expected = network.genesis.app_state.application.applications
      .map((a) => ({ address: a.address, publicKey: a.public_key, chains: [...a.chains].sort(), stake: a.staked_tokens, maxRelays: a.max_relays }))
      .sort((a, b) => a.address.localeCompare(b.address));
    expect(onChain).toEqual(expected);
  });

  test('protocol params equal the genesis params @smoke', async ({ network, chain, sdk }) => {
    const pos = await chain.rpc.query.getNodeParams(BigInt(0));
    const pocketcore = await chain.rpc.query.getPocketParams(BigInt(0));
    if (pos instanceof sdk.RpcError || pocketcore instanceof sdk.RpcError) throw new Error('param query failed');
    const g = network.genesis.app_state;
    expect(Number(pos.nodeParams.sessionBlockFrequency)).toBe(Number(g.pos.params.session_block_frequency));
    expect(pos.nodeParams.stakeMinimum.toString()).toBe(g.pos.params.stake_minimum);
    expect(Number(pocketcore.pocketParams.sessionNodeCount)).toBe(Number(g.pocketcore.params.session_node_count));
    expect([...(pocketcore.pocketParams.supportedBlockchains ?? [])].sort()).toEqual([...g.pocketcore.params.supported_blockchains].sort());
  });
});
