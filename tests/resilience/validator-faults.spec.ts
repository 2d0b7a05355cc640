/**
 * Validator faults on a private 4-validator network (one may fail: 3 of 4 is more than 2/3).
 * Every test sends transactions during the fault and ends with one chain on every node.
 */
import { chainOn, test, expect } from '../../fixtures/pocket';
import { expectOneChain, expectProgress } from '../../fixtures/consensus';
import type { PocketNetwork, StartedPocketNetwork } from '../../network/pocket-network';

type StartNetwork = (configure: (b: PocketNetwork) => PocketNetwork) => Promise<StartedPocketNetwork>;

async function setup(startNetwork: StartNetwork, sdk: Parameters<typeof chainOn>[0], recorder: Parameters<typeof chainOn>[2]) {
  const net = await startNetwork((b) => b.withNodes(4).withApps(1).withAccounts(4).withFeatures());
  const chain = chainOn(sdk, net, recorder);
  return { net, chain };
}

test.describe('validator faults', () => {
  test('kill -9 one validator: the others keep making blocks; it restarts from its data and catches up @critical', async ({ startNetwork, sdk, recorder }) => {
    const { net, chain } = await setup(startNetwork, sdk, recorder);
    const [a, b] = net.keys.accounts;
    const victim = net.node(4);
    await test.step('SIGKILL node4', () => victim.kill());
    expect(await victim.state()).toBe('exited');
    await expectProgress(net.nodes.slice(0, 3), 3);
    const tx = await test.step('a transaction while node4 is down', () => chain.send(a, b.address, 1_111n));
    expect(tx.code).toBe(0);
    await test.step('restart node4 on its own data', () => victim.start());
    await expectOneChain(net, tx.height + 2);
    const seen = await victim.height();
    expect(seen).toBeGreaterThan(tx.height);
    const onVictim = await chainOn(sdk, net, recorder, victim.index).waitForTx(tx.hash);
    expect(onVictim.height, 'node4 has the transaction made while it was down').toBe(tx.height);
  });

  test('pause and resume a validator: the chain goes on and the node catches up', async ({ startNetwork, sdk, recorder }) => {
    const { net, chain } = await setup(startNetwork, sdk, recorder);
    const [a, b] = net.keys.accounts;
    await net.node(2).pause();
    const tx = await chain.send(a, b.address, 2_222n);
    expect(tx.code).toBe(0);
    await net.node(2).unpause();
    await expectOneChain(net, tx.height + 1);
  });

  test('a rolling restart of every validator loses no transaction', async ({ startNetwork, sdk, recorder }) => {
    test.setTimeout(300_000);
    const { net, chain } = await setup(startNetwork, sdk, recorder);
    const [a, b] = net.keys.accounts;
    const hashes: string[] = [];
    for (const node of net.nodes) {
      await test.step(`restart ${node.name}`, async () => {
        // Transactions go through node1; while node1 restarts, another node takes them.
        const via = node.index === 1 ? chainOn(sdk, net, recorder, 2) : chain;
        await node.restart();
        hashes.push((await via.send(a, b.address, BigInt(node.index))).hash);
      });
    }
    const last = Math.max(...(await Promise.all(hashes.map(async (h) => (await chain.waitForTx(h)).height))));
    await expectOneChain(net, last + 1, 120_000);
  });
});
