import { test, expect } from '../../fixtures/pocket';

test('a dispatch returns a session of session_node_count distinct staked servicers @smoke @critical', async ({ network, chain, sdk }) => {
  const app = network.keys.apps[0];
  const height = await chain.height();
  const res = await test.step(`dispatch app ${app.address.slice(0, 8)}… for chain 0021 at height ${height}`, () =>
    chain.rpc.client.dispatch(new sdk.DispatchRequest(new sdk.SessionHeader(app.publicKey, '0021', BigInt(height)))),
  );
  if (res instanceof sdk.RpcError) throw new Error(`dispatch refused: ${res.code} ${res.message}`);

  const members = res.nodes.map((n) => n.address);
  expect(members).toHaveLength(network.spec.sessionNodeCount);
  expect(new Set(members).size, 'session members are distinct').toBe(members.length);
  // Staked and unjailed servicers of the chain: other tests on this network stake nodes too, so
  // members need not be genesis validators.
  for (const node of res.nodes) {
    expect(node.chains, node.address).toContain('0021');
    expect(node.status, `${node.address} is staked`).toBe(sdk.StakingStatus.Staked);
    expect(node.jailed, `${node.address} is not jailed`).toBe(false);
  }
  expect(res.header.applicationPubKey).toBe(app.publicKey);
  const bps = network.spec.timing.blocksPerSession;
  expect((Number(res.header.sessionBlockHeight) - 1) % bps, 'session height is a session start').toBe(0);
});
