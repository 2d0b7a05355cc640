/**
 * State export: `/v1/query/state` of a running chain boots a fresh chain (genesis from state) that
 * answers the same queries. How a network restarts from a snapshot after a fatal bug.
 */
import { test, expect, chainOn } from '../../fixtures/pocket';
import { Governance } from '../../fixtures/governance';
import { RawRpc } from '../../fixtures/rpc-client';
import type { StartedPocketNetwork } from '../../network/pocket-network';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PocketE2EError } from '../../network/errors';
import { CACHE_DIR } from '../../network/settings';
import { expectUnlessKnownDefect } from '../../fixtures/known-defect';

const sortedParams = (all: Record<string, Array<{ param_key: string }>>) =>
  Object.fromEntries(Object.entries(all).map(([module, params]) => [module, [...params].sort((a, b) => a.param_key.localeCompare(b.param_key))]));

/** The answers a restarted chain must keep (raw: compared as pocket-core sends them). */
async function snapshot(rpc: RawRpc, net: StartedPocketNetwork, height: number) {
  const url = net.node(1).rpcUrl;
  const post = async (route: string, body: Record<string, unknown>) => (await rpc.post(url, route, { height, ...body })).data;
  const keys = [...net.keys.validators, ...net.keys.apps, ...net.keys.accounts, net.keys.daoOwner];
  const nodes = (await post('/v1/query/nodes', { opts: { page: 1, per_page: 100 } })) as { result: Array<Record<string, unknown>> };
  return {
    balances: Object.fromEntries(await Promise.all(keys.map(async (k) => [k.address, ((await post('/v1/query/balance', { address: k.address })) as { balance: number }).balance]))),
    // Service URLs name the host ports of each network's own containers, so they differ by design.
    nodes: nodes.result.map(({ service_url: _, ...node }) => node),
    apps: await post('/v1/query/apps', { opts: { page: 1, per_page: 100 } }),
    supply: await post('/v1/query/supply', {}),
    // allparams lists each module's params in map order, which differs from node to node.
    params: sortedParams((await post('/v1/query/allparams', {})) as Record<string, Array<{ param_key: string }>>),
    upgrade: await post('/v1/query/upgrade', {}),
    daoOwner: await post('/v1/query/daoowner', {}),
  };
}

test('a fresh chain booted from exported state answers the same queries as the chain at the export height @critical', async ({ startNetwork, sdk, recorder }) => {
  test.setTimeout(300_000);
  const rpc = new RawRpc(recorder); // the fixture would also boot the worker's shared network, unused here
  const source = await startNetwork((b) => b.withAccounts(3));
  const chain = chainOn(sdk, source, recorder);
  const [from, to] = source.keys.accounts;

  await test.step('state worth keeping: a send and a param change', async () => {
    expect((await chain.send(from, to.address, 7_654_321n)).code).toBe(0);
    const change = await new Governance(chain).changeParam(source.keys.daoOwner, 'pos/MaxJailedBlocks', JSON.stringify('12345'));
    expect(change.code, change.log).toBe(0);
    await source.waitForHeight(change.height + 1);
  });

  const exported = await source.exportState();
  expect(exported.genesis.app_state.pos.validators).toHaveLength(source.nodes.length);
  const before = await snapshot(rpc, source, exported.height);

  const restarted = await startNetwork((b) => b.withExportedState(exported));
  expect(restarted.chainId).not.toBe(source.chainId);
  // Block 1 holds the genesis state as booted, before the copy re-runs the DAO's codec and
  // feature upgrades (a repaired export carries no upgrade record: see genesisFromExport).
  const atGenesis = await snapshot(rpc, restarted, 1);
  expect(atGenesis.balances, 'every account balance').toEqual(before.balances);
  expect(atGenesis.nodes, 'every node: stake, status, chains, jail').toEqual(before.nodes);
  expect(atGenesis.apps, 'every app').toEqual(before.apps);
  expect(atGenesis.supply, 'the supply').toEqual(before.supply);
  expect(atGenesis.daoOwner).toEqual(before.daoOwner);

  const now = await snapshot(rpc, restarted, await restarted.node(1).height());
  // Once the features are on again, the params they govern are back in the ACL. The upgrade
  // record is compared below without its heights: the copy's boot re-runs the upgrades at heights
  // of its own (one block apart from the source's, depending on when block 1 came).
  const withoutUpgradeRecord = (params: typeof now.params) => JSON.parse(JSON.stringify(params), (k, v) => (Array.isArray(v) ? v.filter((p) => p?.param_key !== 'gov/upgrade') : v));
  expect(withoutUpgradeRecord(now.params), 'every param, the changed one and the ACL included').toEqual(withoutUpgradeRecord(before.params));
  const upgrade = (u: unknown) => {
    const r = u as { Version: string; Features?: string[] };
    return { version: r.Version, features: (r.Features ?? []).map((f) => f.split(':')[0]).sort() };
  };
  expect(upgrade(now.upgrade), 'the same codec version and protocol features').toEqual(upgrade(before.upgrade));
});

/**
 * How booting the network of chain `chainId` failed: only "a node did not start" with a Go panic
 * in that node's log counts, as the panic line and the first function of the panicking goroutine.
 * Any other error (Docker, an image, a timeout without a panic) is thrown as is. The log is read
 * from the run's directory (the error's detail holds only its last 40 lines, and a panic's stack
 * is longer).
 */
function bootPanic(chainId: string) {
  return (err: unknown): { booted: false; panic: string; in: string } => {
    const node = err instanceof PocketE2EError ? err.message.match(/^(node\d+) did not start: /)?.[1] : undefined;
    if (!node) throw err;
    const runs = path.join(CACHE_DIR, 'runs');
    const runDir = fs.readdirSync(runs).map((d) => path.join(runs, d)).find((d) => {
      const genesis = path.join(d, 'genesis.json');
      return fs.existsSync(genesis) && (JSON.parse(fs.readFileSync(genesis, 'utf8')) as { chain_id?: string }).chain_id === chainId;
    });
    if (!runDir) throw err;
    const log = fs.readFileSync(path.join(runDir, `${node}.log`), 'utf8').split('\n');
    const at = log.findIndex((l) => l.startsWith('panic: '));
    if (at < 0) throw err;
    const goroutine = log.findIndex((l, i) => i > at && /^goroutine \d+ \[running\]:$/.test(l));
    return { booted: false, panic: log[at], in: goroutine < 0 ? '' : log[goroutine + 1].replace(/\(.*$/, '') };
  };
}

test('pocket-core boots its own export as genesis, unrepaired', async ({ network, startNetwork }) => {
  test.setTimeout(240_000);
  const exported = await network.exportState();
  // The worker's shared network: other tests may have staked nodes that run no process.
  expect(exported.genesis.app_state.pos.validators.map((v) => v.address), 'the export holds the running validators').toEqual(expect.arrayContaining(network.nodes.map((n) => n.address)));
  const chainId = `unrepaired-${Date.now().toString(36)}-${process.pid}`;
  const outcome = await startNetwork((b) => b.withExportedState(exported, { asIs: true, chainId })).then(() => ({ booted: true }), bootPanic(chainId));
  // RC-0.9.2 also exported block.max_bytes 0 and min_signed_per_window as a block count; RC-0.12.0
  // exports both right (4000000, 0.6). Module accounts still come without a public key, and auth's
  // genesis validation dereferences it first. (Behind that, gov refuses the exported ACL entry
  // pocketcore/BlockByteSize as "not a recognized parameter".)
  await expectUnlessKnownDefect('PC-STATE-EXPORT-UNBOOTABLE', outcome, {
    correct: { booted: true },
    defect: { booted: false, panic: 'panic: runtime error: invalid memory address or nil pointer dereference', in: 'github.com/pokt-network/pocket-core/x/auth/types.ValidateGenesis' },
  }, network);
});
