import { test, expect } from '../../fixtures/pocket';

test('a dispatch returns a session of session_node_count distinct staked servicers @smoke @critical', async ({ network, chain, sdk }) => {
  const app = network.keys.apps[0];
  const height = await chain.height();
  const res = await test.step(`dispatch app ${app.address.slice(0, 8)}… for chain 0021 at height ${height}`, () =>
    chain.rpc.client.dispatch(new sdk.DispatchRequest(new sdk.SessionHeader(app.publicKey, '0021', BigInt(height)))),
  );
  if (res instanceof sdk.RpcError) throw new Error(`dispatch refused: ${res.code} ${res.message}`);

  const members = res.nodes.map((n) => n.address);
  const validators = new Set(network.keys.validators.map((k) => k.address));
  expect(members).toHaveLength(network.spec.sessionNodeCount);
  expect(new Set(members).size, 'session members are distinct').toBe(members.length);
  for (const address of members) expect(validators.has(address), `${address} is a genesis validator`).toBe(true);
  for (const node of res.nodes) expect(node.chains).toContain('0021');
  expect(res.header.applicationPubKey).toBe(app.publicKey);
  const bps = network.spec.timing.blocksPerSession;
  expect((Number(res.header.sessionBlockHeight) - 1) % bps, 'session height is a session start').toBe(0);
});
