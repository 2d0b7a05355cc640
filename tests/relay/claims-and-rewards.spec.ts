/**
 * The claim → proof → reward cycle on a private network (so no other test's relays mint in the
 * same blocks and the sums are exact). Relays are built with our own relay implementation so
 * their count is known to the relay. The reward is computed from RC-0.12.0's arithmetic
 * (x/nodes/keeper/reward.go, rewritten in fixtures/reward-math.ts) with the params queried at the
 * proof's height: relays × relays_to_tokens_multiplier (the chain's entry of the per-chain map once
 * PerChainRTTM is on) × the PIP-22 stake weight (RSCAL), of which dao_allocation + proposer_allocation
 * percent goes to the fee pool and the rest to the servicer (claim + proof fee compensation first,
 * RewardDelegators); the next block pays the fee pool to the DAO and to the proof block's proposer.
 */
import { test, expect } from '../../fixtures/pocket';
import { currentSession, postRelay, relayTo } from '../../fixtures/relay';
import { claimsOf, waitForClaim, waitForProof, type Claim } from '../../fixtures/claims';
import { expectProofBlock, FEE_COLLECTOR, printable, RewardLedger } from '../../fixtures/reward-ledger';
import { splitFeesCollected } from '../../fixtures/reward-math';
import { attachJson } from '../../fixtures/allure';
import { keyFromSecret } from '../../network/keys';
import { seededRandom } from '../../fixtures/seeded-random';

test('relays become a claim of exactly those relays, the claim a proof, and the proof mints the exact weighted reward: servicer, DAO and proposer shares to the upokt @blocker', async ({ startNetwork, rawRpc }, testInfo) => {
  test.setTimeout(300_000);
  const random = await seededRandom(testInfo);
  const entropy = () => random.int(Number.MAX_SAFE_INTEGER);
  const net = await startNetwork((b) => b.withAccounts(2));
  const url = net.node(1).rpcUrl;
  const ledger = new RewardLedger(net, rawRpc);
  const [app, smallApp] = net.keys.apps;
  const minProofs = Number(net.genesis.app_state.pocketcore.params.minimum_number_of_proofs);

  // Relays start in a session that has just begun: every relay names its session, and once the
  // next session starts a servicer refuses it (code 60), so all of them must fit in this one.
  const bps = net.spec.timing.blocksPerSession;
  const start = await currentSession(net, rawRpc, app, '0021');
  await net.waitForHeight(start.sessionHeight + bps);
  const session = await currentSession(net, rawRpc, app, '0021');
  expect(session.outsiders, 'the network has nodes outside the session').toHaveLength(net.nodes.length - net.spec.sessionNodeCount);
  const servicer = session.servicers[0];
  const relays = minProofs + 2;
  const client = keyFromSecret(random.bytes(32));
  await test.step(`${relays} valid relays, one duplicate and one to a node outside the session`, async () => {
    const sent = Array.from({ length: relays }, () => relayTo(session, servicer, app, '0021', { client, entropy: entropy() }));
    for (const r of sent) expect((await postRelay(rawRpc, servicer, r)).status).toBe(200);
    expect((await postRelay(rawRpc, servicer, sent[0])).error?.code, 'duplicate refused').toBe(37);
    const outsider = session.outsiders[0];
    expect((await postRelay(rawRpc, outsider, relayTo(session, outsider, app, '0021', { client, entropy: entropy() }))).error?.code, 'a node outside the session refuses').toBe(14);
  });
  const smallSession = await currentSession(net, rawRpc, smallApp, '0021');
  await test.step(`${minProofs - 1} relays for a second app: fewer than minimum_number_of_proofs`, async () => {
    for (let i = 0; i < minProofs - 1; i++) expect((await postRelay(rawRpc, smallSession.servicers[0], relayTo(smallSession, smallSession.servicers[0], smallApp, '0021', { client: keyFromSecret(random.bytes(32)), entropy: entropy() }))).status).toBe(200);
  });

  const claim = await test.step('the servicer claims exactly the valid relays once the session ends', () => waitForClaim(rawRpc, url, servicer.address, app, '0021', session.sessionHeight));
  expect(claim.total_proofs).toBe(relays);
  expect(claim.from_address).toBe(servicer.address);
  const one = await rawRpc.post<Claim | { value: Claim }>(url, '/v1/query/nodeclaim', { address: servicer.address, app_pubkey: app.publicKey, blockchain: '0021', session_block_height: session.sessionHeight, height: 0, receipt_type: 'relay' });
  expect(one.status, JSON.stringify(one.data)).toBe(200);
  // nodeclaim answers the claim in amino JSON ({type, value}); nodeclaims lists bare claims.
  const single = 'value' in one.data ? one.data.value : one.data;
  expect(Number(single.total_proofs), `nodeclaim returns the same claim (amino JSON: numbers as strings): ${JSON.stringify(one.data).slice(0, 300)}`).toBe(relays);

  const proof = await test.step('the servicer proves the claim after the waiting period; the claim is gone', () => waitForProof(rawRpc, url, servicer.address, claim));
  const H = proof.height;

  await test.step(`the proof block ${H} mints the weighted reward of ${relays} relays; the servicer gets its exact part`, () =>
    expectProofBlock(ledger, H, [{ servicer: servicer.address, chain: '0021', relays }]));

  await test.step(`block ${H + 1} pays block ${H}'s fee pool: the DAO and ${H}'s proposer their exact cuts`, async () => {
    await net.waitForHeight(H + 1);
    const feePool = await ledger.balance(FEE_COLLECTOR, H);
    const params = await ledger.params(H + 1);
    const { dao } = splitFeesCollected(params, feePool);
    const daoAt = async (h: number) => BigInt((await rawRpc.post<{ dao: string }>(url, '/v1/query/supply', { height: h })).data.dao);
    expect((await daoAt(H + 1)) - (await daoAt(H)), `the DAO gets dao_allocation / (dao + proposer allocation) of ${feePool}`).toBe(dao);
    const next = await ledger.expect(H + 1, []);
    const proposer = await ledger.node(await ledger.proposer(H), H);
    const payee = proposer.output_address || proposer.address;
    const observed = await ledger.observe(H + 1, [payee]);
    await attachJson(`block ${H + 1}: expected vs observed`, printable({ feePoolOfPrevious: feePool, dao, next, observed }));
    expect(next.proofs).toHaveLength(0);
    expect(observed.deltas.get(payee), `the proposer of block ${H} (${proposer.address}) gets the rest of the fee pool`).toBe(next.deltas.get(payee) ?? 0n);
    expect(feePool - dao, 'the proposer cut is not empty').toBeGreaterThan(0n);
  });

  await test.step('the second app\'s session had too few relays: no node ever claimed it', async () => {
    const end = smallSession.sessionHeight + bps;
    for (let h = end; h <= H; h++) {
      for (const n of net.nodes) {
        expect((await claimsOf(rawRpc, url, n.address, h)).filter((c) => c.header.app_public_key === smallApp.publicKey), `claims of ${n.name} for the second app at height ${h}`).toEqual([]);
      }
    }
  });
});
