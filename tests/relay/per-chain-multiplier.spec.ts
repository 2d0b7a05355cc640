/**
 * Per-chain relays-to-tokens multiplier (feature PerChainRTTM): the DAO param
 * `pos/RelaysToTokensMultiplierMap` maps a chain id to its own multiplier (amino JSON of a
 * map[string]int64: `{"0001":"3001"}`). A proof of relays on a chain in the map mints
 * relays × that chain's multiplier × the servicer's PIP-22 stake weight; a chain absent from the
 * map keeps the global `pos/RelaysToTokensMultiplier` (x/nodes/keeper/reward.go
 * GetChainSpecificMultiplier). The multiplier in force is the one at the proof's height.
 * The DAO and proposer allocations and the stake weighting apply alike to every chain.
 */
import { test, expect, chainOn } from '../../fixtures/pocket';
import { Governance } from '../../fixtures/governance';
import { freshSessions, rewardCycleNetwork, sendRelays, waitForClaim, waitForProof, type CommittedProof } from '../../fixtures/claims';
import { printable, RewardLedger } from '../../fixtures/reward-ledger';
import { chainMultiplier } from '../../fixtures/reward-math';
import { attachJson } from '../../fixtures/allure';
import type { RawRpc } from '../../fixtures/rpc-client';
import type { StartedPocketNetwork } from '../../network/pocket-network';
import type { PocketNode } from '../../network/pocket-node';
import type { Chain } from '../../fixtures/chain';

const RELAYS = 7;
const CHAINS = ['0001', '0021'] as const;

const paramValue = async (rpc: RawRpc, url: string, key: string, height: number) => (await rpc.post<{ param_value: string }>(url, '/v1/query/param', { key, height })).data.param_value;

/** The DAO changes params in one block each; returns the height of the last change. */
async function daoSets(net: StartedPocketNetwork, chain: Chain, rpc: RawRpc, changes: Array<[key: string, valueJson: string]>): Promise<number> {
  const gov = new Governance(chain);
  let height = 0;
  for (const [key, valueJson] of changes) {
    const tx = await gov.changeParam(net.keys.daoOwner, key, valueJson);
    expect(tx.code, `${key}: ${tx.log}`).toBe(0);
    // The param query answers a JSON string's content (60000000000), any other JSON as written.
    const parsed: unknown = JSON.parse(valueJson);
    expect(await paramValue(rpc, net.node(1).rpcUrl, key, tx.height), `${key} reads back as set`).toBe(typeof parsed === 'string' ? parsed : valueJson);
    height = tx.height;
  }
  return height;
}

/** A proven claim: the relays it claimed (what the reward is computed from) and its proof. */
interface ChainProof { chain: string; servicer: PocketNode; relays: number; proof: CommittedProof }

/** RELAYS relays on each chain in one session, each chain to a different servicer; returns the proven claims. */
async function sameRelaysOnBothChains(net: StartedPocketNetwork, rpc: RawRpc): Promise<ChainProof[]> {
  const url = net.node(1).rpcUrl;
  const app = net.keys.apps[0];
  const sessions = await freshSessions(net, rpc, app, [...CHAINS]);
  const first = sessions['0001'].servicers[0];
  const second = sessions['0021'].servicers.find((n) => n !== first)!;
  const servicers: Record<string, PocketNode> = { '0001': first, '0021': second };
  await test.step(`${RELAYS} relays on 0001 to ${first.name} and on 0021 to ${second.name}, in one session`, () => Promise.all(CHAINS.map((c) => sendRelays(rpc, sessions[c], servicers[c], app, c, RELAYS))));
  // Both claims are watched at once: a claim is gone as soon as its proof pays out.
  const claims = await Promise.all(CHAINS.map((c) => waitForClaim(rpc, url, servicers[c].address, app, c, sessions[c].sessionHeight)));
  // Rewards follow the claimed count. (Relays answered 200 were seen missing from a 0001 claim: 5 of 7.)
  const out: ChainProof[] = await Promise.all(claims.map(async (claim) => ({ chain: claim.header.chain, servicer: servicers[claim.header.chain], relays: Number(claim.total_proofs), proof: await waitForProof(rpc, url, servicers[claim.header.chain].address, claim) })));
  return out;
}

/** Every proof block minted and paid exactly what the ledger computes; returns what each chain's proof minted. */
async function expectExactRewards(net: StartedPocketNetwork, rpc: RawRpc, proofs: ChainProof[]): Promise<Record<string, { minted: bigint; multiplier: bigint }>> {
  const ledger = new RewardLedger(net, rpc);
  const perChain: Record<string, { minted: bigint; multiplier: bigint }> = {};
  for (const height of [...new Set(proofs.map((p) => p.proof.height))]) {
    const inBlock = proofs.filter((p) => p.proof.height === height);
    const expected = await ledger.expect(height, inBlock.map((p) => ({ servicer: p.servicer.address, chain: p.chain, relays: p.relays })));
    const observed = await ledger.observe(height, inBlock.map((p) => p.servicer.address));
    await attachJson(`block ${height}: expected vs observed`, printable({ expected, observed }));
    expect(observed.minted, `block ${height}: supply growth = Σ relays × chain multiplier × stake weight`).toBe(expected.minted);
    expect(observed.feePool, `block ${height}: fee pool = DAO + proposer allocations + fees`).toBe(expected.feePool);
    for (const p of inBlock) expect(observed.deltas.get(p.servicer.address), `${p.servicer.name} (${p.chain})`).toBe(expected.deltas.get(p.servicer.address) ?? 0n);
    for (const p of expected.proofs) perChain[p.chain] = { minted: p.minted, multiplier: chainMultiplier(expected.params, p.chain, expected.features) };
  }
  return perChain;
}

test.describe('per-chain relays-to-tokens multiplier (PerChainRTTM)', () => {
  test('two chains with their own multipliers: the same relay count mints each chain\'s own exact reward @critical', { tag: '@nightly' }, async ({ startNetwork, sdk, recorder, rawRpc }) => {
    test.setTimeout(360_000);
    const net = await startNetwork(rewardCycleNetwork);
    const chain = chainOn(sdk, net, recorder);
    const global = BigInt(await paramValue(rawRpc, net.node(1).rpcUrl, 'pos/RelaysToTokensMultiplier', 0));
    const map = { '0001': '3001', '0021': '12347' };
    await test.step('the DAO sets the map and a stake weighting that is not 1 (4 bins of 15,000 POKT, exponent 0.85)', () =>
      daoSets(net, chain, rawRpc, [
        ['pos/ServicerStakeWeightCeiling', JSON.stringify('60000000000')],
        ['pos/ServicerStakeFloorMultiplierExponent', JSON.stringify('0.850000000000000000')],
        ['pos/RelaysToTokensMultiplierMap', JSON.stringify(map)],
      ]));
    const proofs = await sameRelaysOnBothChains(net, rawRpc);
    const minted = await test.step('each proof block pays to the upokt', () => expectExactRewards(net, rawRpc, proofs));
    expect(minted['0001'].multiplier, '0001 is paid at its map entry').toBe(BigInt(map['0001']));
    expect(minted['0021'].multiplier, '0021 is paid at its map entry').toBe(BigInt(map['0021']));
    expect(new Set([global, minted['0001'].multiplier, minted['0021'].multiplier]).size, 'three different multipliers').toBe(3);
    expect(minted['0001'].minted, 'the same relays mint different rewards per chain').not.toBe(minted['0021'].minted);
  });

  test('a chain absent from the map keeps the global multiplier while a mapped chain uses its own', { tag: '@nightly' }, async ({ startNetwork, sdk, recorder, rawRpc }) => {
    test.setTimeout(360_000);
    const net = await startNetwork(rewardCycleNetwork);
    const chain = chainOn(sdk, net, recorder);
    const global = BigInt(await paramValue(rawRpc, net.node(1).rpcUrl, 'pos/RelaysToTokensMultiplier', 0));
    await test.step('the DAO maps 0021 alone', () => daoSets(net, chain, rawRpc, [['pos/RelaysToTokensMultiplierMap', JSON.stringify({ '0021': '12347' })]]));
    const proofs = await sameRelaysOnBothChains(net, rawRpc);
    const minted = await test.step('each proof block pays to the upokt', () => expectExactRewards(net, rawRpc, proofs));
    expect(minted['0001'].multiplier, '0001 is not in the map: the global multiplier').toBe(global);
    expect(minted['0021'].multiplier).toBe(12347n);
    expect(minted['0001'].minted, 'the same relays mint different rewards per chain').not.toBe(minted['0021'].minted);
  });
});
