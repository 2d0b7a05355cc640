import { test, expect } from '../../fixtures/pocket';
import { ok } from '../../fixtures/chain';

/**
 * Keys pocket-core RC-0.12.0 adds to the ACL, owned by the DAO owner, in the BeginBlock of a
 * feature's activation height (x/gov/module.go activateAdditionalParametersACL; NodesSubspace =
 * "pos", PocketcoreSubspace = "pocketcore"). Every other feature leaves the ACL as the genesis set it.
 */
const FEATURE_ACL_KEYS: Record<string, string[]> = {
  BLOCK: ['pocketcore/BlockByteSize'],
  RSCAL: ['pos/ServicerStakeFloorMultiplier', 'pos/ServicerStakeWeightMultiplier', 'pos/ServicerStakeWeightCeiling', 'pos/ServicerStakeFloorMultiplierExponent'],
  PerChainRTTM: ['pos/RelaysToTokensMultiplierMap'],
};

test.describe('node and application queries', () => {
  test('node returns a genesis validator with its stake, chains and service URL', async ({ network, chain, sdk }) => {
    const v = network.genesis.app_state.pos.validators[1];
    const res = ok(sdk, await chain.rpc.query.getNode(v.address, BigInt(0)), 'node');
    expect(res.node.address).toBe(v.address);
    expect(res.node.publicKey).toBe(v.public_key);
    expect(res.node.stakedTokens.toString()).toBe(v.tokens);
    expect([...res.node.chains].sort()).toEqual([...v.chains].sort());
    expect(res.node.serviceURL.toString().replace(/\/$/, '')).toBe(v.service_url);
    expect(res.node.jailed).toBe(false);
  });

  test('nodes filter by chain and staking status and paginate without overlap', async ({ network, chain, sdk }) => {
    const all = ok(sdk, await chain.rpc.query.getNodes(sdk.StakingStatus.Staked, sdk.JailedStatus.NA, BigInt(0), '0021', 1, 100), 'nodes on 0021');
    expect(all.nodes.length).toBeGreaterThanOrEqual(network.nodes.length);
    const unstaking = ok(sdk, await chain.rpc.query.getNodes(sdk.StakingStatus.Unstaking, sdk.JailedStatus.NA, BigInt(0), '', 1, 100), 'unstaking nodes');
    for (const n of unstaking.nodes) expect(all.nodes.map((x) => x.address)).not.toContain(n.address);
    const p1 = ok(sdk, await chain.rpc.query.getNodes(sdk.StakingStatus.Staked, sdk.JailedStatus.NA, BigInt(0), '0021', 1, 2), 'page 1');
    const p2 = ok(sdk, await chain.rpc.query.getNodes(sdk.StakingStatus.Staked, sdk.JailedStatus.NA, BigInt(0), '0021', 2, 2), 'page 2');
    expect(p1.nodes).toHaveLength(2);
    const overlap = p1.nodes.filter((n) => p2.nodes.some((m) => m.address === n.address));
    expect(overlap).toHaveLength(0);
    expect(p1.totalPages).toBe(Math.ceil(all.nodes.length / 2));
  });

  test('app and apps return the genesis applications with max relays derived from stake', async ({ network, chain, sdk }) => {
    const g = network.genesis.app_state.application.applications[0];
    const app = ok(sdk, await chain.rpc.query.getApp(g.address, BigInt(0)), 'app');
    expect(app.application.publicKey).toBe(g.public_key);
    expect(app.application.stakedTokens.toString()).toBe(g.staked_tokens);
    expect(app.application.maxRelays.toString()).toBe(g.max_relays);
    const apps = ok(sdk, await chain.rpc.query.getApps(sdk.StakingStatus.Staked, BigInt(0), '0001', 1, 100), 'apps on 0001');
    expect(apps.applications.map((a) => a.address)).toEqual(expect.arrayContaining(network.keys.apps.map((k) => k.address)));
  });

  test('module params, allparams and single params equal the genesis', async ({ network, chain, sdk, rawRpc }) => {
    const g = network.genesis.app_state;
    const nodeParams = ok(sdk, await chain.rpc.query.getNodeParams(BigInt(0)), 'nodeparams');
    expect(nodeParams.nodeParams.stakeMinimum.toString()).toBe(g.pos.params.stake_minimum);
    const appParams = ok(sdk, await chain.rpc.query.getAppParams(BigInt(0)), 'appparams');
    expect(appParams.applicationParams.appStakeMin.toString()).toBe(g.application.params.app_stake_minimum);
    expect(appParams.applicationParams.baseRelaysPerPokt.toString()).toBe(g.application.params.base_relays_per_pokt);
    const pocketParams = ok(sdk, await chain.rpc.query.getPocketParams(BigInt(0)), 'pocketparams');
    expect(pocketParams.pocketParams.claimExpiration.toString()).toBe(g.pocketcore.params.claim_expiration);

    const all = ok(sdk, await chain.rpc.query.getAllParams(BigInt(0)), 'allparams');
    const find = (list: Array<{ paramKey: string; paramValue: string }>, key: string) => list.find((p) => p.paramKey === key)?.paramValue;
    expect(find(all.nodeParams, 'pos/StakeMinimum')).toBe(g.pos.params.stake_minimum);
    expect(find(all.appParams, 'application/BaseRelaysPerPOKT')).toBe(g.application.params.base_relays_per_pokt);
    expect(find(all.pocketParams, 'pocketcore/SessionNodeCount')).toBe(g.pocketcore.params.session_node_count);

    const one = await rawRpc.post(network.node(1).rpcUrl, '/v1/query/param', { height: 0, key: 'pos/BlocksPerSession' });
    expect(one.status).toBe(200);
    expect(one.data).toEqual({ param_key: 'pos/BlocksPerSession', param_value: g.pos.params.session_block_frequency });
  });

  test('acl and daoowner name the DAO owner for every governed key: the genesis ACL, plus the keys each feature adds at its activation height (axios: no pocket-js call)', async ({ network, rawRpc }) => {
    const url = network.node(1).rpcUrl;
    const genesisAcl = (network.genesis.app_state.gov.params.acl as Array<{ acl_key: string; address: string }>).map((e) => e.acl_key);
    const activations = Object.entries(FEATURE_ACL_KEYS).filter(([feature]) => network.features[feature] !== undefined);
    const aclAt = async (height: number) => {
      const res = await rawRpc.post(url, '/v1/query/acl', { height });
      expect(res.status, JSON.stringify(res.data)).toBe(200);
      // pocket-core answers the amino JSON of the ACL as a JSON string.
      return (JSON.parse(res.data as string) as { value: Array<{ acl_key: string; address: string }> }).value;
    };
    const expectedAt = (height: number) => [...genesisAcl, ...activations.filter(([f]) => height >= network.features[f]).flatMap(([, keys]) => keys)].sort();
    const heights = [...new Set([1, ...activations.flatMap(([f]) => [network.features[f] - 1, network.features[f]]), await network.node(1).height()])].sort((a, b) => a - b);
    for (const height of heights) {
      const entries = await aclAt(height);
      expect(entries.map((e) => e.acl_key).sort(), `the ACL at height ${height}`).toEqual(expectedAt(height));
      for (const e of entries) expect(e.address, `owner of ${e.acl_key} at height ${height}`).toBe(network.keys.daoOwner.address);
    }
    const latest = heights[heights.length - 1];
    const all = await rawRpc.post<Record<string, Array<{ param_key: string }>>>(url, '/v1/query/allparams', { height: latest });
    const paramKeys = new Set(Object.values(all.data).flatMap((list) => (Array.isArray(list) ? list.map((p) => p.param_key) : [])));
    expect(expectedAt(latest).filter((k) => !paramKeys.has(k)), 'every ACL key names a param of the version').toEqual([]);
    const owner = await rawRpc.post(url, '/v1/query/daoowner', { height: 0 });
    expect(JSON.parse(owner.data as string)).toBe(network.keys.daoOwner.address);
  });

  test('signinginfo has one entry per genesis validator, none jailed (axios: no pocket-js call)', async ({ network, rawRpc }) => {
    const res = await rawRpc.post(network.node(1).rpcUrl, '/v1/query/signinginfo', { height: 0, page: 1, per_page: 100 });
    expect(res.status).toBe(200);
    // Nodes other tests staked without a process have entries too (and get jailed): only the
    // network's own validators are held to "never jailed".
    const genesis = new Set(network.keys.validators.map((k) => k.address));
    const infos = (res.data.result as Array<{ address: string; jailed_blocks_counter: number; missed_blocks_counter: number }>).filter((i) => genesis.has(i.address));
    expect(infos.map((i) => i.address).sort()).toEqual([...genesis].sort());
    for (const i of infos) expect(i.jailed_blocks_counter).toBe(0);
    const one = await rawRpc.post(network.node(1).rpcUrl, '/v1/query/signinginfo', { height: 0, address: network.node(2).address });
    expect((one.data.result as Array<{ address: string }>).map((i) => i.address)).toEqual([network.node(2).address]);
  });

  test('nodeclaims of a servicer with no relays is an empty page', async ({ network, chain, sdk }) => {
    const res = ok(sdk, await chain.rpc.query.getNodeClaims(network.node(4).address, BigInt(0), 1, 10), 'nodeclaims');
    expect(res.msgClaims ?? []).toHaveLength(0);
  });
});
