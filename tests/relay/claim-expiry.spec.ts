/**
 * A claim that is never proven expires: pocket-core removes it from the state and mints nothing.
 *
 * The rules, from x/pocketcore/keeper/claim.go:
 *   - a claim's expiration_height is set when its tx is delivered: claim height +
 *     claim_expiration × blocks_per_session (SetClaim), i.e. counted in blocks from the claim, not
 *     from the session;
 *   - every block's BeginBlock deletes the claims whose expiration_height ≤ the block height
 *     (DeleteExpiredClaims), so the state at expiration_height − 1 has it and the state at
 *     expiration_height has not;
 *   - a proof is only accepted once the claim is mature, after session height +
 *     proof_waiting_period × blocks_per_session (ClaimIsMature), and the servicer only sends it then.
 * So a servicer that goes down between its claim and the claim's maturity never proves it. The
 * test crashes the servicer (SIGKILL: no graceful path that could still send anything) as soon as
 * its claim is in a block, and watches the claim expire from a node that stays up.
 *
 * Private network: 4 validators (3 stay up: quorum holds), proof_waiting_period 5 sessions (20
 * blocks, 4 × 5 + 4 < max_claim_age_for_proof_retry 32) for a wide window to stop the servicer
 * before maturity, and claim_expiration 5 sessions (the minimum: it may not be below the waiting
 * period) so the claim expires about 20 blocks after it is made.
 */
import { test, expect, chainOn } from '../../fixtures/pocket';
import { RawRpc } from '../../fixtures/rpc-client';
import { ok } from '../../fixtures/chain';
import { currentSession } from '../../fixtures/relay';
import { claimsOf as servicerClaims, sendRelays } from '../../fixtures/claims';
import { pollUntil } from '../../network/poll';

const WAITING_SESSIONS = 5;
const EXPIRATION_SESSIONS = 5;

test('a claim whose servicer never proves it expires claim_expiration sessions after the claim, and nothing is minted for it @critical', { tag: '@nightly' }, async ({ startNetwork, sdk, recorder }) => {
  test.setTimeout(300_000);
  const rawRpc = new RawRpc(recorder); // not the fixture: that would boot the worker's shared network, unused here
  const net = await startNetwork((b) =>
    b.withAccounts(1).withGenesisOverrides({ pocketcore: { params: { proof_waiting_period: String(WAITING_SESSIONS), claim_expiration: String(EXPIRATION_SESSIONS) } } }),
  );
  const params = net.genesis.app_state.pocketcore.params;
  expect(params, 'the genesis carries the overrides').toMatchObject({ proof_waiting_period: String(WAITING_SESSIONS), claim_expiration: String(EXPIRATION_SESSIONS) });
  const bps = net.spec.timing.blocksPerSession;
  const minProofs = Number(params.minimum_number_of_proofs);
  const multiplier = BigInt(net.genesis.app_state.pos.params.relays_to_tokens_multiplier);
  const app = net.keys.apps[0];

  // Relays start at a fresh session's first block, so none of them straddles a session boundary.
  const start = await currentSession(net, rawRpc, app, '0021');
  await net.waitForHeight(start.sessionHeight + bps);
  const session = await currentSession(net, rawRpc, app, '0021');
  // node1 stays up and answers every query; the servicer is another member of the session.
  const servicer = session.servicers.find((n) => n.index !== 1)!;
  const chain = chainOn(sdk, net, recorder, 1);
  // Raw nodeclaims: pocket-js 0.9.2-rc's getNodeClaims cannot parse a claim (MsgClaim.fromJSON reads
  // merkle_root.sum; pocket-core answers merkle_root {merkleHash, range}), so it returns an RpcError
  // "TypeError: Cannot convert undefined to a BigInt" whenever the servicer has a claim.
  const claimsOf = async (height = 0) =>
    (await servicerClaims(rawRpc, net.node(1).rpcUrl, servicer.address, height)).filter((c) => c.header.app_public_key === app.publicKey && c.header.session_height === session.sessionHeight);
  const supply = async (height: number) => BigInt(ok(sdk, await chain.rpc.query.getSupply(BigInt(height)), `supply at ${height}`).total.toString());

  const relays = minProofs + 2;
  await test.step(`${relays} valid relays to ${servicer.name} (hand-built with our relay implementation, so they go to this servicer)`, async () => {
    await sendRelays(rawRpc, session, servicer, app, '0021', relays);
  });

  const claim = await test.step('the servicer claims them once the session ends', () =>
    pollUntil(async () => (await claimsOf())[0], { timeoutMs: 90_000, intervalMs: 300, what: `${servicer.name}'s claim for session ${session.sessionHeight}` }),
  );
  await test.step(`${servicer.name} crashes (SIGKILL) before the claim matures`, () => servicer.kill());
  const killedAt = await chain.height();
  const maturesAfter = session.sessionHeight + WAITING_SESSIONS * bps;
  expect(killedAt, `the servicer is down before its claim matures (after block ${maturesAfter}): otherwise it could have proven it`).toBeLessThanOrEqual(maturesAfter);
  expect(claim.total_proofs).toBe(relays);
  expect(claim.from_address).toBe(servicer.address);

  const claimTx = await test.step('the claim transaction is in a block', () =>
    pollUntil(async () => {
      const txs = ok(sdk, await chain.rpc.query.getAccountTxs(servicer.address, false, false, 1, 100), `transactions of ${servicer.name}`);
      return txs.transactions.find((t) => t.txResult.messageType === 'claim' && t.txResult.code === 0);
    }, { timeoutMs: 30_000, intervalMs: 500, what: `${servicer.name}'s claim transaction` }),
  );
  const claimHeight = Number(claimTx.height);
  const expiration = claim.expiration_height;
  expect(expiration, 'expiration_height = claim height + claim_expiration × blocks_per_session').toBe(claimHeight + EXPIRATION_SESSIONS * bps);

  await test.step(`the chain goes past the claim's expiration height ${expiration} without ${servicer.name}`, () =>
    net.waitForHeight(expiration + 2, { nodes: net.nodes.filter((n) => n !== servicer), timeoutMs: 120_000 }),
  );

  await test.step('the claim is in the state until the block before its expiration height and gone from that block on', async () => {
    expect(await claimsOf(expiration - 1), `claim present at ${expiration - 1}`).toHaveLength(1);
    expect(await claimsOf(expiration), `claim removed at ${expiration}`).toEqual([]);
    expect(await claimsOf(), 'claim removed now').toEqual([]);
  });

  await test.step('no proof was ever delivered and nothing was minted for the claim', async () => {
    const txs = ok(sdk, await chain.rpc.query.getAccountTxs(servicer.address, false, false, 1, 100), `transactions of ${servicer.name}`);
    expect(txs.transactions.filter((t) => t.txResult.messageType === 'proof').map((t) => Number(t.height)), 'no proof transaction').toEqual([]);
    // Nothing else mints on this network; a downtime slash of the stopped servicer may only burn.
    expect(await supply(expiration + 1), 'the total supply did not grow').toBeLessThanOrEqual(await supply(claimHeight));
    // A dead servicer proposes no block, so no fee share either: its balance is frozen from a few
    // blocks after the crash (the block it may have proposed pays it in the next block).
    const frozenFrom = killedAt + 3;
    const reward = (BigInt(relays) * multiplier * (100n - BigInt(net.genesis.app_state.pos.params.dao_allocation) - BigInt(net.genesis.app_state.pos.params.proposer_allocation))) / 100n;
    const balanceAfter = await chain.balance(servicer.address, expiration + 1);
    expect(balanceAfter, `the servicer's balance did not grow (the unproven reward would have been ${reward} upokt)`).toBe(await chain.balance(servicer.address, frozenFrom));
  });
});
