import { test, expect } from '../../fixtures/pocket';
import { ok } from '../../fixtures/chain';
import { MIN_TX_FEE, UPOKT_PER_ACCOUNT } from '../../network/spec';
import { expectUnlessKnownDefect } from '../../fixtures/known-defect';

test.describe('account queries', () => {
  test('account shows the genesis funding and public key; balance at a height is the state at that height', async ({ chain, sdk, accounts }) => {
    const [a, b] = accounts(2);
    const acc = ok(sdk, await chain.rpc.query.getAccount(a.address), 'account');
    expect(acc.address).toBe(a.address);
    expect(acc.publicKey).toBe(a.publicKey);
    expect(BigInt(acc.balance ?? '0')).toBe(UPOKT_PER_ACCOUNT);

    const tx = await chain.send(a, b.address, 5_000n);
    expect(await chain.balance(a.address, tx.height - 1)).toBe(UPOKT_PER_ACCOUNT);
    expect(await chain.balance(a.address, tx.height)).toBe(UPOKT_PER_ACCOUNT - 5_000n - MIN_TX_FEE);
  });

  test('accounts pages are disjoint, cover every genesis account, and report their page count (axios: no pocket-js call)', async ({ network, rawRpc }) => {
    const perPage = 7;
    const first = await rawRpc.post(network.node(1).rpcUrl, '/v1/query/accounts', { height: 0, page: 1, per_page: perPage });
    expect(first.status).toBe(200);
    const totalPages: number = first.data.total_pages;
    const seen: string[] = [];
    for (let page = 1; page <= totalPages; page++) {
      const res = page === 1 ? first : await rawRpc.post(network.node(1).rpcUrl, '/v1/query/accounts', { height: 0, page, per_page: perPage });
      expect(res.data.page).toBe(page);
      const addresses = (res.data.result as Array<{ address: string }>).map((r) => r.address);
      expect(addresses.length).toBeLessThanOrEqual(perPage);
      if (page < totalPages) expect(addresses.length).toBe(perPage);
      seen.push(...addresses);
    }
    expect(new Set(seen).size, 'no account on two pages').toBe(seen.length);
    const genesis = network.genesis.app_state.auth.accounts.map((a) => a.value.address);
    for (const address of genesis) expect(seen).toContain(address);
  });

  test('accounttxs lists sent and received transactions by direction, page and order, with proofs on request', async ({ network, chain, sdk, accounts, rawRpc }) => {
    const [sender, receiver] = accounts(2);
    const t1 = await chain.send(sender, receiver.address, 1n);
    const t2 = await chain.send(sender, receiver.address, 2n);

    const sent = ok(sdk, await chain.rpc.query.getAccountTxs(sender.address, false, false, 1, 10), 'sent txs');
    expect(sent.transactions.map((t) => t.hash).sort()).toEqual([t1.hash, t2.hash].sort());
    const received = ok(sdk, await chain.rpc.query.getAccountTxs(receiver.address, true, false, 1, 10), 'received txs');
    expect(received.transactions.map((t) => t.hash).sort()).toEqual([t1.hash, t2.hash].sort());
    const receivedBySender = ok(sdk, await chain.rpc.query.getAccountTxs(sender.address, true, false, 1, 10), 'sender received');
    expect(receivedBySender.transactions).toHaveLength(0);

    const body = (order: string, page = 1, perPage = 10, prove = false) => ({ address: sender.address, received: false, prove, page, per_page: perPage, order });
    const desc = await rawRpc.post(network.node(1).rpcUrl, '/v1/query/accounttxs', body('desc'));
    const asc = await rawRpc.post(network.node(1).rpcUrl, '/v1/query/accounttxs', body('asc'));
    const ascHashes = asc.data.txs.map((t: { hash: string }) => t.hash);
    expect(desc.data.txs.map((t: { hash: string }) => t.hash), 'the two orders are each other\'s reverse').toEqual([...ascHashes].reverse());
    expect(desc.data.total_txs).toBe(2);

    const page1 = await rawRpc.post(network.node(1).rpcUrl, '/v1/query/accounttxs', body('asc', 1, 1));
    const page2 = await rawRpc.post(network.node(1).rpcUrl, '/v1/query/accounttxs', body('asc', 2, 1));
    expect([...page1.data.txs, ...page2.data.txs].map((t: { hash: string }) => t.hash), 'pages of one follow the order').toEqual(ascHashes);
    const proved = await rawRpc.post(network.node(1).rpcUrl, '/v1/query/accounttxs', body('asc', 1, 10, true));
    for (const t of proved.data.txs) expect(t.proof.root_hash).toMatch(/^[0-9A-F]{64}$/);
  });

  test('accounttxs order=asc lists the oldest transaction first', async ({ network, chain, accounts, rawRpc }) => {
    const [sender, receiver] = accounts(2);
    const older = await chain.send(sender, receiver.address, 1n);
    const newer = await chain.send(sender, receiver.address, 2n);
    expect(older.code, older.log).toBe(0);
    expect(newer.code, newer.log).toBe(0);
    expect(newer.height).toBeGreaterThan(older.height);
    const asc = await rawRpc.post<{ txs: Array<{ hash: string }>; total_txs: number }>(network.node(1).rpcUrl, '/v1/query/accounttxs', { address: sender.address, page: 1, per_page: 10, order: 'asc' });
    expect(asc.status).toBe(200);
    expect(asc.data.total_txs, 'the sender sent exactly these two').toBe(2);
    await expectUnlessKnownDefect('PC-ACCOUNTTXS-ORDER-REVERSED', asc.data.txs.map((t) => t.hash), {
      correct: [older.hash, newer.hash],
      defect: [newer.hash, older.hash],
    }, network);
  });
});
