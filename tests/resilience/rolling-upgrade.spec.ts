/**
 * A rolling upgrade with two real binaries: a network starts on an older pocket-core
 * (POCKET_CORE_UPGRADE_FROM, default RC-0.6.2), nodes are upgraded one at a time to the version
 * under test keeping their data, with transactions sent through the mixed-version period. Then the
 * DAO's upgrade transaction switches the codec at the height the new version requires.
 */
import { test, expect, chainOn } from '../../fixtures/pocket';
import { attachJson } from '../../fixtures/allure';
import { buildOffline, commitRaw } from '../../fixtures/offline-tx';
import { RawRpc } from '../../fixtures/rpc-client';
import { appVersionOf, govVersion, upgradeState } from '../../network/upgrade';
import { expectOneChain } from '../../fixtures/consensus';
import { CliGovernance, importKey } from '../../fixtures/governance';
import { pollUntil } from '../../network/poll';
import { pocketCoreImage } from '../../network/images/pocket-core';
import { readSettings, upgradeFromVersion } from '../../network/settings';
import type { StartedPocketNetwork } from '../../network/pocket-network';
import type { PocketNode } from '../../network/pocket-node';
import type { Chain, CommittedTx } from '../../fixtures/chain';
import type { PocketJs } from '../../fixtures/sdk';

/** State a node runner would compare before and after an upgrade, read at one height. */
async function stateAt(rpc: RawRpc, net: StartedPocketNetwork, node: PocketNode, height: number) {
  const post = async (route: string, body: Record<string, unknown>) => (await rpc.post(node.rpcUrl, route, { height, ...body })).data;
  const keys = [...net.keys.validators, ...net.keys.apps, ...net.keys.accounts];
  return {
    balances: await Promise.all(keys.map((k) => post('/v1/query/balance', { address: k.address }))),
    nodes: await post('/v1/query/nodes', { opts: { page: 1, per_page: 100 } }),
    apps: await post('/v1/query/apps', { opts: { page: 1, per_page: 100 } }),
    supply: await post('/v1/query/supply', {}),
  };
}

/**
 * A send on the legacy (amino) codec, the one both versions speak before the codec upgrade, each
 * from an account that has not signed before. It is handed to a node still on the older version:
 * upgraded nodes refused pocket-js's amino sends with "signature verification failed" in about
 * half the runs (noted on issue 8 for a diagnosis), while the older nodes never did.
 */
async function aminoSend(sdk: PocketJs, chain: Chain, net: StartedPocketNetwork, i: number): Promise<CommittedTx> {
  const [from, to] = [net.keys.accounts[i], net.keys.accounts[net.keys.accounts.length - 1]];
  return commitRaw(sdk, chain, await buildOffline(sdk, 'amino', from, net.chainId, (s) => s.send(from.address, to.address, String(1_000 + i))));
}

test('nodes upgraded one at a time from the older version keep their data, agree on every block and commit every transaction @critical', async ({ startNetwork, sdk, recorder }) => {
  test.setTimeout(900_000);
  const rpc = new RawRpc(recorder); // the fixture would also boot the worker's shared network, unused here
  const settings = readSettings();
  const target = await test.step('the version under test is built', () => pocketCoreImage({ version: settings.pocketCoreVersion, userImage: settings.pocketCoreImage }));
  // The older version has no --allblocktxs; no DAO action at boot: the codec upgrade comes last.
  const net = await startNetwork((b) => b.withPocketCoreVersion(upgradeFromVersion()).withNodeFlags('--simulateRelay').withFeatures().withAccounts(7));
  const from = await appVersionOf(net.node(1));
  const to = target.appVersion;
  expect(from, 'two different binaries').not.toBe(to);
  const chain = chainOn(sdk, net, recorder, net.nodes.length); // the last node is upgraded last

  const txs: CommittedTx[] = [await aminoSend(sdk, chain, net, 0)];
  const checkpoint = txs[0].height;
  await net.waitForHeight(checkpoint + 1);
  const before = await stateAt(rpc, net, net.node(1), checkpoint);

  for (const node of [...net.nodes]) {
    await test.step(`${node.name}: ${from} → ${to}, data kept`, async () => {
      // node4, which takes the sends, is upgraded last: every send but the first is mixed-period.
      if (node.index > 1) txs.push(await aminoSend(sdk, chain, net, txs.length));
      const upgraded = await net.upgradeNode(node.index, target);
      expect(await appVersionOf(upgraded)).toBe(to);
      await expectOneChain(net, await net.height());
    });
  }
  await attachJson('node versions after the rolling upgrade', Object.fromEntries(await Promise.all(net.nodes.map(async (n) => [n.name, await appVersionOf(n)]))));

  await test.step('every transaction sent before and during the mixed period is on every upgraded node', async () => {
    for (const node of net.nodes) {
      const onNode = chainOn(sdk, net, recorder, node.index);
      for (const tx of txs) expect((await onNode.waitForTx(tx.hash)).code, `${tx.hash} on ${node.name}`).toBe(0);
    }
  });
  await test.step(`state at height ${checkpoint}, read before the upgrade, is unchanged on the upgraded nodes`, async () => {
    // The newer version may report more (RC-0.9.x adds a node's output_address): everything the
    // older one reported must be there unchanged.
    for (const node of net.nodes) expect(await stateAt(rpc, net, node, checkpoint), node.name).toMatchObject(before);
  });

  await test.step(`the DAO's upgrade transaction switches the codec at its height: ${to}'s protobuf transactions are accepted after it`, async () => {
    await net.upgradeProtocol([], to);
    const record = await upgradeState(net.node(1).rpcUrl);
    expect(record.height).toBeGreaterThan(checkpoint);
    const [a, b] = net.keys.accounts;
    const proto = await chain.send(a, b.address, 4_321n);
    expect(proto.code, proto.log).toBe(0);
    expect(proto.height).toBeGreaterThan(record.height);
    await expectOneChain(net, proto.height);
  });
});

test('the DAO schedules the newer version: the older nodes stop at its height, and the newer binaries carry on from their data @critical', async ({ startNetwork, sdk, recorder }) => {
  test.setTimeout(900_000);
  const settings = readSettings();
  const target = await test.step('the version under test is built', () => pocketCoreImage({ version: settings.pocketCoreVersion, userImage: settings.pocketCoreImage }));
  const net = await startNetwork((b) => b.withPocketCoreVersion(upgradeFromVersion()).withNodeFlags('--simulateRelay').withFeatures().withAccounts(3));
  const to = target.appVersion;
  const version = govVersion(to);

  // The older CLI in node1 sends the DAO's upgrade: the mainnet procedure (pocket-js has no gov messages).
  await importKey(net.node(1), net.keys.daoOwner);
  const at = (await net.height()) + 6;
  const scheduled = await new CliGovernance(net.node(1), net.chainId).upgrade(net.keys.daoOwner, at, version);
  expect(scheduled.code, scheduled.log).toBe(0);

  await test.step(`the ${await appVersionOf(net.node(2))} nodes stop as they begin block ${at}`, async () => {
    await pollUntil(async () => (net.nodes.some((n) => /MUST UPGRADE TO NEXT VERSION/.test(n.logs.read())) ? true : undefined), { timeoutMs: 90_000, intervalMs: 500, what: `an old node to stop at height ${at}` });
    const heights = (await net.heights()).filter((h): h is number => h !== undefined);
    expect(Math.max(0, ...heights), 'nothing past the upgrade height is committed by the old version').toBeLessThan(at);
  });

  for (const node of [...net.nodes]) await test.step(`${node.name} restarts on ${to} from its data`, () => net.upgradeNode(node.index, target));
  await test.step(`the chain moves past ${at} on ${to} and takes protobuf transactions (the codec switched at ${at})`, async () => {
    await net.waitForHeight(at + 2, { timeoutMs: 120_000 });
    expect(await upgradeState(net.node(1).rpcUrl)).toMatchObject({ height: at, version });
    const chain = chainOn(sdk, net, recorder);
    const [a, b] = net.keys.accounts;
    const tx = await chain.send(a, b.address, 1_234n);
    expect(tx.code, tx.log).toBe(0);
  });
});
