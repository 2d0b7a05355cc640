/**
 * Network partitions: a node cut off its Docker network (peers, chains and its published RPC go
 * with it), and the network split in halves with no 2/3 quorum on either side.
 */
import { chainOn, test, expect } from '../../fixtures/pocket';
import { expectHalted, expectOneChain, expectProgress } from '../../fixtures/consensus';

// Docker network disconnect/connect under load has wedged Docker 20.10's daemon here (a connect that
// never returns, then every container operation hangs), which would take the whole run down. The
// partition tests therefore run where POCKET_E2E_PARTITIONS=1 (the nightly workflow sets it).
test.describe('partitions', () => {
  // In a hook (not at describe level) so the report still files the skipped tests under Resilience.
  test.beforeEach(() => test.skip(process.env.POCKET_E2E_PARTITIONS !== '1', 'network partitions run with POCKET_E2E_PARTITIONS=1 (nightly): Docker 20.10 can wedge on network connect'));

  test('one validator partitioned away: the rest go on, it heals and catches up, no transaction lost @critical', async ({ startNetwork, sdk, recorder }) => {
    const net = await startNetwork((b) => b.withNodes(4).withApps(1).withAccounts(2).withFeatures());
    const chain = chainOn(sdk, net, recorder);
    const [a, b] = net.keys.accounts;
    await net.node(4).disconnect();
    await expectProgress(net.nodes.slice(0, 3), 3);
    const tx = await chain.send(a, b.address, 3_333n);
    expect(tx.code).toBe(0);
    await net.node(4).connect();
    await expectOneChain(net, tx.height + 1, 120_000);
  });

  test('split in halves (2 + 2): no quorum, the chain halts; healed, it resumes on one chain', async ({ startNetwork, sdk, recorder }) => {
    test.setTimeout(300_000);
    const net = await startNetwork((b) => b.withNodes(4).withApps(1).withAccounts(2).withFeatures());
    const chain = chainOn(sdk, net, recorder);
    const [a, b] = net.keys.accounts;
    const before = await chain.send(a, b.address, 4_444n);
    await test.step('cut nodes 3 and 4 off: 2 of 4 votes is not more than 2/3', async () => {
      await net.node(3).disconnect();
      await net.node(4).disconnect();
    });
    await test.step('nodes 1 and 2 make no block for 8 block times', () => expectHalted(net.nodes.slice(0, 2), 8 * net.spec.timing.blockTimeMs));
    const pending = await chain.submit(a, (s) => s.send(a.address, b.address, '5555'));
    await test.step('heal the partition', async () => {
      await net.node(3).connect();
      await net.node(4).connect();
    });
    const committed = await chain.waitForTx(pending, 120_000);
    expect(committed.code, 'the transaction sent during the halt is committed after healing').toBe(0);
    expect(committed.height).toBeGreaterThan(before.height);
    await expectOneChain(net, committed.height + 1, 120_000);
  });
});
