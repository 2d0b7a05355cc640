import { test, expect } from '../../fixtures/pocket';
import { ok } from '../../fixtures/chain';
import { expectUnlessKnownDefect } from '../../fixtures/known-defect';
import { govVersion } from '../../network/upgrade';

test.describe('chain queries', () => {
  test('GET /v1 answers the version of the binary under test (axios: no pocket-js call)', async ({ network, rawRpc }) => {
    const res = await rawRpc.get(network.node(1).rpcUrl, '/v1');
    expect(res.status).toBe(200);
    expect(res.data).toBe(network.image.appVersion);
    expect(typeof res.data).toBe('string');
  });

  test('height grows and block N has height N on the requested chain', async ({ network, chain, sdk }) => {
    const h1 = await chain.height();
    await chain.waitForHeight(h1 + 1);
    const block = ok(sdk, await chain.rpc.query.getBlock(BigInt(h1)), `block ${h1}`);
    expect(Number(block.block.header.height)).toBe(h1);
    expect(block.block.header.chainID).toBe(network.chainId);
  });

  test('a sent transaction is found by hash, in its block, and in allblocktxs with a proof on request', async ({ network, chain, sdk, accounts, rawRpc }) => {
    const [from, to] = accounts(2);
    const tx = await test.step('send a transaction', () => chain.send(from, to.address, 1_000n));
    const byHash = ok(sdk, await chain.rpc.query.getTX(tx.hash), 'tx by hash');
    expect(byHash.transaction.hash).toBe(tx.hash);
    expect(Number(byHash.transaction.height)).toBe(tx.height);

    const inBlock = ok(sdk, await chain.rpc.query.getBlockTxs(BigInt(tx.height), false, 1, 50), 'block txs');
    expect(inBlock.transactions.map((t) => t.hash)).toContain(tx.hash);

    const all = await test.step('allblocktxs (node flag --allblocktxs; axios: no pocket-js call)', () =>
      rawRpc.post(network.node(2).rpcUrl, '/v1/query/allblocktxs', { height: tx.height, page: 1, per_page: 50 }),
    );
    expect(all.status).toBe(200);
    expect((all.data.txs as Array<{ hash: string }>).map((t) => t.hash)).toContain(tx.hash);

    const proved = await rawRpc.post(network.node(1).rpcUrl, '/v1/query/tx', { hash: tx.hash, prove: true });
    expect(proved.status).toBe(200);
    expect(proved.data.proof?.root_hash, 'a proved tx carries a merkle root').toMatch(/^[0-9A-F]{64}$/);
    const unproved = await rawRpc.post(network.node(1).rpcUrl, '/v1/query/tx', { hash: tx.hash, prove: false });
    expect(unproved.data.proof?.root_hash ?? '').toBe('');
  });

  test('blocktxs order=asc lists a block\'s transactions by index, 0 first', async ({ network, chain, accounts, rawRpc }) => {
    // Four sends submitted back to back land in at most two consecutive blocks, so one block holds two or more.
    const senders = accounts(4);
    const hashes = await Promise.all(senders.map((s, i) => chain.submit(s, (x) => x.send(s.address, senders[(i + 1) % 4].address, '1'))));
    const committed = await Promise.all(hashes.map((h) => chain.waitForTx(h)));
    const heights = committed.map((t) => t.height);
    const shared = heights.find((h) => heights.filter((x) => x === h).length >= 2);
    expect(shared, `two of the four sends share a block (heights ${heights.join(', ')})`).toBeDefined();
    const res = await rawRpc.post<{ txs: Array<{ index: number; hash: string }>; total_txs: number }>(network.node(1).rpcUrl, '/v1/query/blocktxs', { height: shared, page: 1, per_page: 100, order: 'asc' });
    expect(res.status).toBe(200);
    const n = res.data.total_txs;
    expect(n, 'the block holds at least the two sends').toBeGreaterThanOrEqual(2);
    const indexes = res.data.txs.map((t) => t.index);
    const ascending = [...Array(n).keys()];
    await expectUnlessKnownDefect('PC-BLOCKTXS-ORDER-REVERSED', indexes, { correct: ascending, defect: [...ascending].reverse() }, network);
  });

  test('supply adds up: staked = nodes + apps + DAO, total = staked + unstaked, unstaked = Σ balances', async ({ chain, sdk, rawRpc, network }) => {
    const h = (await chain.height()) - 1;
    const supply = ok(sdk, await chain.rpc.query.getSupply(BigInt(h)), 'supply');
    const nodes = ok(sdk, await chain.rpc.query.getNodes(sdk.StakingStatus.Staked, sdk.JailedStatus.NA, BigInt(h), '', 1, 1000), 'nodes');
    const apps = ok(sdk, await chain.rpc.query.getApps(sdk.StakingStatus.Staked, BigInt(h), '', 1, 1000), 'apps');
    const sum = (xs: Array<{ toString(): string }>) => xs.reduce<bigint>((a, x) => a + BigInt(x.toString()), 0n);
    expect(BigInt(supply.nodeStaked.toString())).toBe(sum(nodes.nodes.map((n) => n.stakedTokens)));
    expect(BigInt(supply.appStaked.toString())).toBe(sum(apps.applications.map((a) => a.stakedTokens)));
    expect(BigInt(supply.totalStaked.toString())).toBe(BigInt(supply.nodeStaked.toString()) + BigInt(supply.appStaked.toString()) + BigInt(supply.dao.toString()));
    expect(BigInt(supply.total.toString())).toBe(BigInt(supply.totalStaked.toString()) + BigInt(supply.totalUnstaked.toString()));

    const accounts = await test.step('every account at the same height (axios: pocket-js has no accounts query)', async () => {
      const all: Array<{ coins: Array<{ amount: string }> }> = [];
      for (let page = 1; ; page++) {
        const res = await rawRpc.post(network.node(1).rpcUrl, '/v1/query/accounts', { height: h, page, per_page: 50 });
        expect(res.status).toBe(200);
        all.push(...(res.data.result ?? []));
        if (page >= res.data.total_pages) break;
      }
      return all;
    });
    const balances = accounts.reduce((a, acc) => a + acc.coins.reduce((b, c) => b + BigInt(c.amount), 0n), 0n);
    // Module accounts (staking pools, DAO) hold the staked coins, so they appear in both sums.
    expect(balances).toBe(BigInt(supply.total.toString()));
  });

  test('state export holds the genesis validators, apps and params (axios: no pocket-js call)', async ({ network, rawRpc }) => {
    // The first block's state: later tests on the shared network stake nodes and apps of their own.
    const res = await rawRpc.post(network.node(1).rpcUrl, '/v1/query/state', { height: 1 });
    expect(res.status).toBe(200);
    const state = typeof res.data === 'string' ? JSON.parse(res.data) : res.data;
    const g = network.genesis.app_state;
    expect(state.app_state.pos.validators.map((v: { address: string }) => v.address).sort()).toEqual(g.pos.validators.map((v) => v.address).sort());
    expect(state.app_state.application.applications.map((a: { address: string }) => a.address).sort()).toEqual(g.application.applications.map((a) => a.address).sort());
    expect(state.app_state.pos.params.stake_minimum).toBe(g.pos.params.stake_minimum);
    expect(state.app_state.gov.params.dao_owner).toBe(network.keys.daoOwner.address);
  });

  test('upgrade reports the codec upgrade (height and version) and exactly the features the network enabled, with their heights', async ({ network, chain, sdk, rawRpc }) => {
    const featureHeights = [...new Set(Object.values(network.features))];
    expect(network.protocolUpgradeHeight, 'the network upgraded its codec at boot').toBeGreaterThan(0);
    // The record as boot left it (later tests may add upgrades): from the block that activated the features.
    const at = Math.max(network.protocolUpgradeHeight, ...featureHeights);
    const raw = await rawRpc.post<{ Height: number | string; Version: string; Features: string[] | null }>(network.node(1).rpcUrl, '/v1/query/upgrade', { height: at });
    expect(raw.status).toBe(200);
    // A feature-only upgrade (version FEATURE) keeps the codec upgrade's height and version (x/gov/keeper/subspace.go handleUpgradeAfterUpdate).
    expect(Number(raw.data.Height)).toBe(network.protocolUpgradeHeight);
    expect(raw.data.Version).toBe(govVersion(network.image.appVersion));
    expect([...(raw.data.Features ?? [])].sort()).toEqual(Object.entries(network.features).map(([f, h]) => `${f}:${h}`).sort());
    // pocket-js reads the latest record: the same codec upgrade unless a later test changed it.
    const up = ok(sdk, await chain.rpc.query.getUpgrade(), 'upgrade');
    const latest = await rawRpc.post<{ Height: number | string; Version: string }>(network.node(1).rpcUrl, '/v1/query/upgrade', { height: 0 });
    expect({ height: Number(up.height), version: up.version }).toEqual({ height: Number(latest.data.Height), version: latest.data.Version });
  });

  test('supported chains equal the genesis chains (axios: pocket-js misreads this answer, see tests/sdk)', async ({ network, rawRpc }) => {
    const res = await rawRpc.post(network.node(1).rpcUrl, '/v1/query/supportedchains', { height: 0 });
    expect(res.status).toBe(200);
    // pocket-core answers a JSON string that itself holds the JSON array.
    expect(typeof res.data).toBe('string');
    expect(JSON.parse(res.data as string).sort()).toEqual([...network.genesis.app_state.pocketcore.params.supported_blockchains].sort());
  });
});
