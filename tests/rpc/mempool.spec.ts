/**
 * unconfirmedtx(s) show the mempool. To make "a transaction waits in the mempool" deterministic,
 * half of a private network's validators are paused: without 2/3 of the votes no block is made.
 */
import { chainOn, test, expect } from '../../fixtures/pocket';

test('a transaction waits in unconfirmedtxs while the chain has no quorum and leaves it once committed (axios: no pocket-js call)', async ({ startNetwork, sdk, recorder, rawRpc }) => {
  const net = await startNetwork((b) => b.withNodes(4).withApps(1).withAccounts(2).withFeatures());
  const chain = chainOn(sdk, net, recorder);
  const [from, to] = net.keys.accounts;

  await test.step('pause two of four validators: no quorum', async () => {
    await net.node(3).pause();
    await net.node(4).pause();
  });
  const hash = await chain.submit(from, (s) => s.send(from.address, to.address, '42'));
  const url = net.node(1).rpcUrl;
  const pending = await rawRpc.post(url, '/v1/query/unconfirmedtxs', { page: 1, per_page: 10 });
  expect(pending.status).toBe(200);
  expect(pending.data.total_txs).toBe(1);
  expect(pending.data.txs.map((t: { hash: string }) => t.hash)).toEqual([hash]);
  const one = await rawRpc.post(url, '/v1/query/unconfirmedtx', { hash });
  expect(one.status).toBe(200);
  expect(one.data.hash).toBe(hash);

  await test.step('resume the validators: the transaction is committed', async () => {
    await net.node(3).unpause();
    await net.node(4).unpause();
  });
  const committed = await chain.waitForTx(hash);
  expect(committed.code).toBe(0);
  const after = await rawRpc.post(url, '/v1/query/unconfirmedtxs', { page: 1, per_page: 10 });
  expect(after.data.total_txs).toBe(0);
});
