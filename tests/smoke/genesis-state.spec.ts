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

  test('protocol params equal the genesis params @smoke', async ({ network, chain, sdk, rawRpc }) => {
    const g = network.genesis.app_state;
    await test.step('every param the genesis sets, in every module, is in the first block\'s state as written (axios: /v1/query/state)', async () => {
      const res = await rawRpc.post(network.node(1).rpcUrl, '/v1/query/state', { height: Number(GENESIS_STATE) });
      expect(res.status).toBe(200);
      const state = (typeof res.data === 'string' ? JSON.parse(res.data) : res.data) as { app_state: Record<string, { params: unknown }> };
      // Amino JSON writes 64-bit integers as strings (our genesis may use numbers) and an empty list
      // as null (a nil Go slice): compare as text.
      const text = (v: unknown): unknown => (Array.isArray(v) ? (v.length ? v.map(text) : null) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, text(x)])) : v === null ? null : String(v));
      // Except pocketcore's block_byte_size: RC-0.12.0 writes no feature-gated param before its feature's
      // height (types/param.go SetParamSet skips additionalParametersKeys), so the genesis value is
      // dropped; BLOCK's BeginBlock then sets DefaultBlockByteSize (x/pocketcore/module.go).
      const { block_byte_size: blockBytes, ...pocketcore } = g.pocketcore.params;
      const written: Record<string, unknown> = { pos: g.pos.params, application: g.application.params, pocketcore, auth: g.auth.params, gov: g.gov.params };
      for (const module of Object.keys(written)) {
        expect(text(state.app_state[module].params), `${module} params`).toMatchObject(text(written[module]) as Record<string, unknown>);
      }
      expect(state.app_state.pocketcore.params, 'no block_byte_size before BLOCK').not.toHaveProperty('block_byte_size');
      // From BLOCK's activation height (never, on a network without it) the size is DefaultBlockByteSize.
      const block = network.features.BLOCK;
      const param = async (height: number) => (await rawRpc.post<{ param_value: string }>(network.node(1).rpcUrl, '/v1/query/param', { height, key: 'pocketcore/BlockByteSize' })).data.param_value;
      const tip = await network.node(1).height();
      for (const height of [...new Set([Number(GENESIS_STATE), (block ?? tip) - 1, block ?? tip, tip])]) {
        expect(await param(height), `BlockByteSize at height ${height} (BLOCK at ${block ?? 'never'})`).toBe(block !== undefined && height >= block ? '4000000' : '');
      }
      expect(blockBytes, 'our genesis writes the default size').toBe('4000000');
    });
    await test.step('pocket-js reads the same params', async () => {
      const pos = await chain.rpc.query.getNodeParams(GENESIS_STATE);
      const pocketcore = await chain.rpc.query.getPocketParams(GENESIS_STATE);
      if (pos instanceof sdk.RpcError || pocketcore instanceof sdk.RpcError) throw new Error('param query failed');
      expect(Number(pos.nodeParams.sessionBlockFrequency)).toBe(Number(g.pos.params.session_block_frequency));
      expect(pos.nodeParams.stakeMinimum.toString()).toBe(g.pos.params.stake_minimum);
      expect(Number(pocketcore.pocketParams.sessionNodeCount)).toBe(Number(g.pocketcore.params.session_node_count));
      expect([...(pocketcore.pocketParams.supportedBlockchains ?? [])].sort()).toEqual([...g.pocketcore.params.supported_blockchains].sort());
    });
  });
});
