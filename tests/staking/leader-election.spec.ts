/**
 * Leader election, issue #16 family 6.
 *
 * pocket's tendermint fork (types/validator_set.go GetProposerRandomized) gives each validator
 * max(1, floor(power / average power)) tickets and draws the proposer from a hash of the previous
 * block (and, between the codec upgrade and height 30040, the last commit) with the round: over
 * many blocks each validator proposes in proportion to its tickets, not to its stake. Four equal
 * stakes get one ticket each (1/4 of the blocks); with node1 at ten times the others' stake,
 * average 325 → tickets 3, 1, 1, 1 (1/2, 1/6, 1/6, 1/6).
 *
 * The bound: Pearson's χ² of the proposer counts against those shares, 3 degrees of freedom,
 * must stay under 16.27 (p = 0.001): a correct build fails it once in a thousand runs; a build
 * that rotates proposers evenly gives χ² ≈ 25 on the weighted set and fails it.
 */
import { chainOn, test, expect } from '../../fixtures/pocket';
import { attachJson } from '../../fixtures/allure';
import { stakeFields, withNodeStake } from '../../fixtures/node-messages';
import { nodeState } from '../../fixtures/staking';
import type { RawRpc } from '../../fixtures/rpc-client';

const BLOCKS = 100;
const CHI2_P001_3DF = 16.27;

async function proposers(rpc: RawRpc, url: string, from: number, count: number): Promise<string[]> {
  const out: string[] = [];
  for (let h = from; h < from + count; h++) {
    const res = await rpc.post<{ block: { header: { proposer_address: string } } }>(url, '/v1/query/block', { height: h });
    expect(res.status, `block ${h}`).toBe(200);
    out.push(res.data.block.header.proposer_address.toLowerCase());
  }
  return out;
}

function chiSquare(observed: number[], shares: number[]): number {
  const n = observed.reduce((a, b) => a + b, 0);
  return observed.reduce((sum, o, i) => sum + (o - n * shares[i]) ** 2 / (n * shares[i]), 0);
}

test('proposers follow the ticket rule: four equal stakes propose evenly, a tenfold stake proposes half the blocks (χ² < 16.27, p = 0.001)', { tag: '@nightly' }, async ({ startNetwork, sdk, recorder, rawRpc }) => {
  test.setTimeout(600_000);
  const net = await startNetwork((b) => b.withNodes(4).withApps(1).withAccounts(1));
  const chain = chainOn(sdk, net, recorder);
  const url = net.node(1).rpcUrl;
  const addresses = net.nodes.map((n) => n.address.toLowerCase());
  const tally = (list: string[]) => addresses.map((a) => list.filter((p) => p === a).length);

  await test.step(`${BLOCKS} blocks with four equal stakes: shares 1/4 each`, async () => {
    const from = (await chain.height()) + 1;
    await chain.waitForHeight(from + BLOCKS, BLOCKS * 10_000);
    const list = await proposers(rawRpc, url, from, BLOCKS);
    expect(list.every((p) => addresses.includes(p)), 'every proposer is one of the four validators').toBe(true);
    const counts = tally(list);
    const chi2 = chiSquare(counts, [0.25, 0.25, 0.25, 0.25]);
    await attachJson('equal stakes: proposer counts', { from, counts, chi2 });
    expect(chi2, `counts ${counts.join('/')}`).toBeLessThan(CHI2_P001_3DF);
  });

  const raisedAt = await test.step('node1 raises its stake to ten times the others\'', async () => {
    const node1 = net.node(1);
    const current = (await nodeState(rawRpc, url, node1.address))!;
    const tx = await chain.submitAndCommit(node1.key, withNodeStake(chain, stakeFields(node1.key, { chains: current.chains, amount: BigInt(current.tokens) * 10n, serviceUrl: current.service_url })));
    expect(tx.code, tx.log).toBe(0);
    expect((await nodeState(rawRpc, url, node1.address, tx.height))!.tokens).toBe((BigInt(current.tokens) * 10n).toString());
    return tx.height;
  });

  await test.step(`${BLOCKS} blocks after the change reaches tendermint: shares 1/2, 1/6, 1/6, 1/6`, async () => {
    // Validator updates of block h apply from h + 2 (tendermint's validator update delay).
    const from = raisedAt + 3;
    await chain.waitForHeight(from + BLOCKS, BLOCKS * 10_000);
    const counts = tally(await proposers(rawRpc, url, from, BLOCKS));
    const chi2 = chiSquare(counts, [1 / 2, 1 / 6, 1 / 6, 1 / 6]);
    await attachJson('node1 at 10×: proposer counts', { from, counts, chi2 });
    expect(chi2, `counts ${counts.join('/')}`).toBeLessThan(CHI2_P001_3DF);
  });
});
