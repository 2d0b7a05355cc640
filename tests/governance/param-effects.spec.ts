/**
 * Param effects (issue #16, family 4, the effects every-param.spec.ts cannot show in its one run):
 * the DAO changes the claim and the downtime params on a private network, and what pocket-core
 * does afterwards follows the new values, not the genesis ones.
 *
 * 1. Claims. pocket-core RC-0.12.0 x/pocketcore/keeper/claim.go:
 *    - SendClaimTx deletes, unclaimed, the evidence of a session with fewer relays than
 *      minimum_number_of_proofs read at the session's start (sessionCtx); ValidateClaim checks the
 *      same.
 *    - handleClaim sets expiration_height = claim height + claim_expiration × blocks_per_session
 *      (both read at the session's start).
 *    - ClaimIsMature (proof_waiting_period, the key pocketcore/ClaimSubmissionWindow) is read at
 *      the current height: a servicer sends its proof from the first of its send blocks (one per
 *      session) past session start + window × blocks_per_session, and the proof handler refuses
 *      one before.
 *    - The proof block mints relays × relays_to_tokens_multiplier (× the PIP-22 stake weight) read
 *      at the proof's height (x/nodes/keeper/reward.go).
 * 2. Downtime. x/nodes/keeper/slash.go handleValidatorSignature, for each vote of the last commit:
 *    the signing info resets at heights that are a multiple of signed_blocks_window; a missed
 *    vote adds 1 to missed_blocks_counter; the validator is jailed in the block where the counter
 *    passes window − round(min_signed_per_window × window), slashed by slash_fraction_downtime and
 *    jailed until that block's time + downtime_jail_duration (all read at that block).
 *    IncrementJailedValidators then force-unstakes it once jailed for more than max_jailed_blocks.
 */
import { test, expect } from '../../fixtures/pocket';
import { privateNetwork } from '../../fixtures/private-network';
import { Governance } from '../../fixtures/governance';
import { accountTxs, claimsOf, committedTxs, freshSessions, rewardCycleNetwork, sendRelays, waitForClaim, waitForProof } from '../../fixtures/claims';
import { expectProofBlock, printable, RewardLedger } from '../../fixtures/reward-ledger';
import { chainMultiplier, mintedForRelays } from '../../fixtures/reward-math';
import { firstJailedHeight, nodeState, STAKED, UNSTAKING } from '../../fixtures/staking';
import { txResult } from '../../fixtures/tx-result';
import { attachJson } from '../../fixtures/allure';
import { nanos } from '../../fixtures/chain-time';
import type { RawRpc } from '../../fixtures/rpc-client';
import type { Chain } from '../../fixtures/chain';
import type { StartedPocketNetwork } from '../../network/pocket-network';
import type { PocketKey } from '../../network/keys';

interface ParamChange { key: string; from: string; to: string }

/** The stored value of `key` at `height` (/v1/query/param answers a JSON string unquoted). */
async function paramAt(rpc: RawRpc, url: string, key: string, height: number): Promise<string> {
  const res = await rpc.post<{ param_key: string; param_value: string }>(url, '/v1/query/param', { key, height });
  expect(res.status, `${key} at ${height}: ${JSON.stringify(res.data)}`).toBe(200);
  return res.data.param_value;
}

/**
 * Each change committed with code 0 by the DAO owner (one per block) and read back from the
 * height of the last one; the old value is checked first, so a genesis that already held the new
 * value cannot make the test vacuous. Returns the height from which all of them hold.
 */
async function changeParams(net: StartedPocketNetwork, chain: Chain, rpc: RawRpc, dao: PocketKey, changes: ParamChange[]): Promise<number> {
  const url = net.node(1).rpcUrl;
  const start = (await net.height()) - 1;
  for (const c of changes) expect(await paramAt(rpc, url, c.key, start), `${c.key} before the change`).toBe(c.from);
  const gov = new Governance(chain);
  let last = start;
  for (const c of changes) {
    const tx = await gov.changeParam(dao, c.key, JSON.stringify(c.to));
    expect(await txResult(rpc, url, tx.hash), `change_param ${c.key}`).toMatchObject({ code: 0, codespace: '' });
    last = tx.height;
  }
  await net.waitForHeight(last + 1, { nodes: [net.node(1)] });
  for (const c of changes) expect(await paramAt(rpc, url, c.key, last), `${c.key} after the change`).toBe(c.to);
  await attachJson('params changed by the DAO', { changes, from: last });
  return last;
}

const CHAINS = ['00e5'];
// pocket-js refuses http:// service URLs; pocket-core only stores these.
const serviceUrl = (host: string) => new URL(`https://${host}.pokt.local:443`);

test.describe('changed params take effect', { tag: '@nightly' }, () => {
  test('claims follow the new minimum_number_of_proofs, claim_expiration, proof waiting period and relays_to_tokens_multiplier @critical', async ({ startNetwork, sdk, recorder, rawRpc }) => {
    test.setTimeout(360_000);
    const { network: net, chain } = await privateNetwork(startNetwork, sdk, recorder, rewardCycleNetwork);
    const url = net.node(1).rpcUrl;
    const bps = net.spec.timing.blocksPerSession;
    const app = net.keys.apps[0];
    const genesis = net.genesis.app_state.pocketcore.params;
    // The new minimum is above MsgClaim's own floor of 5 (PC-CLAIM-MIN-PROOFS), so one relay
    // fewer than it would be claimed under the genesis minimum of 3.
    const MIN_PROOFS = 7;
    const WINDOW = Number(genesis.proof_waiting_period) + 1;
    const EXPIRATION = Number(genesis.claim_expiration) + 1;
    const RTTM = '7777';
    // The claim and proof stay inside the servicers' retry age: window × session + a session.
    expect(WINDOW * bps + bps).toBeLessThan(32);
    await changeParams(net, chain, rawRpc, net.keys.daoOwner, [
      { key: 'pocketcore/MinimumNumberOfProofs', from: String(genesis.minimum_number_of_proofs), to: String(MIN_PROOFS) },
      { key: 'pocketcore/ClaimSubmissionWindow', from: String(genesis.proof_waiting_period), to: String(WINDOW) },
      { key: 'pocketcore/ClaimExpiration', from: String(genesis.claim_expiration), to: String(EXPIRATION) },
      { key: 'pos/RelaysToTokensMultiplier', from: String(net.genesis.app_state.pos.params.relays_to_tokens_multiplier), to: RTTM },
    ]);

    // One servicer in the app's sessions on both chains: MIN_PROOFS − 1 relays on 0001 and
    // MIN_PROOFS on 0021, in a session that starts after every change.
    const sessions = await freshSessions(net, rawRpc, app, ['0001', '0021'], (s) => s['0001'].servicers.some((n) => s['0021'].servicers.includes(n)));
    const servicer = sessions['0001'].servicers.find((n) => sessions['0021'].servicers.includes(n))!;
    const S = sessions['0021'].sessionHeight;
    await test.step(`${MIN_PROOFS - 1} relays on 0001 and ${MIN_PROOFS} on 0021 to ${servicer.name} in session ${S}`, async () => {
      await sendRelays(rawRpc, sessions['0001'], servicer, app, '0001', MIN_PROOFS - 1);
      await sendRelays(rawRpc, sessions['0021'], servicer, app, '0021', MIN_PROOFS);
    });

    const claim = await test.step(`the 0021 session is claimed with ${MIN_PROOFS} proofs and expires at its height + ${EXPIRATION} × ${bps}`, async () => {
      const found = await waitForClaim(rawRpc, url, servicer.address, app, '0021', S);
      const claimTx = (await committedTxs(rawRpc, url, servicer.address, 'claim')).map((t) => Number(t.height)).sort((a, b) => b - a)[0];
      const stored = (await claimsOf(rawRpc, url, servicer.address, claimTx)).find((c) => c.header.chain === '0021' && c.header.session_height === S);
      expect(stored, `the claim is in the state of its block ${claimTx}`).toBeDefined();
      expect({ proofs: stored!.total_proofs, expires: Number(stored!.expiration_height) }).toEqual({ proofs: MIN_PROOFS, expires: claimTx + EXPIRATION * bps });
      return found;
    });

    await test.step(`the 0001 session, ${MIN_PROOFS - 1} relays, is never claimed`, async () => {
      // SendClaimTx walks all of a servicer's evidence in the block that claims 0021: a 0001 claim
      // would be sent with it. Three blocks later none is in the state nor in the servicer's txs.
      const h = (await net.height()) + 3;
      await net.waitForHeight(h, { nodes: [net.node(1)] });
      expect((await claimsOf(rawRpc, url, servicer.address)).filter((c) => c.header.chain === '0001' && c.header.session_height === S)).toEqual([]);
      expect((await accountTxs(rawRpc, url, servicer.address)).filter((t) => t.tx_result.message_type === 'claim').length, 'claim transactions of the servicer: the 0021 one only').toBe(1);
    });

    // A servicer sends its claims and proofs from the end of one block per session: h with
    // (h + its address's first byte) % blocks_per_session == 1 (x/pocketcore/module.go EndBlock).
    // The proof goes from the first such block past the window. Under the old window it would go a
    // session (6 blocks) earlier and land at most 6 blocks after that (EndBlock sends after a 2-5 s
    // sleep), so at or before this block.
    const firstByte = parseInt(servicer.address.slice(0, 2), 16);
    let sendBlock = S + WINDOW * bps + 1;
    while ((sendBlock + firstByte) % bps !== 1) sendBlock++;
    const proof = await test.step(`the proof waits for the new window: sent from block ${sendBlock} (the first of ${servicer.name}'s send blocks after ${S} + ${WINDOW} × ${bps}), so in a later block`, async () => {
      const p = await waitForProof(rawRpc, url, servicer.address, claim);
      expect(p.height).toBeGreaterThan(sendBlock);
      return p;
    });

    await test.step(`the proof block mints ${MIN_PROOFS} relays × ${RTTM} (× stake weight) and pays it out to the upokt`, async () => {
      const ledger = new RewardLedger(net, rawRpc);
      const expected = await expectProofBlock(ledger, proof.height, [{ servicer: servicer.address, chain: '0021', relays: MIN_PROOFS }]);
      expect(chainMultiplier(expected.params, '0021', expected.features), 'the multiplier of 0021 at the proof height').toBe(BigInt(RTTM));
      const tokens = BigInt((await ledger.node(servicer.address, proof.height - 1)).tokens);
      const underGenesis = mintedForRelays({ ...expected.params, relaysToTokensMultiplier: BigInt(net.genesis.app_state.pos.params.relays_to_tokens_multiplier) }, expected.features, '0021', BigInt(MIN_PROOFS), tokens);
      await attachJson('minted: new vs genesis multiplier', printable({ minted: expected.minted, underGenesis }));
      expect(expected.minted, 'the genesis multiplier would mint another amount').not.toBe(underGenesis);
    });
  });

  test('downtime follows the new signed_blocks_window, min_signed_per_window, slash_fraction_downtime, downtime_jail_duration and max_jailed_blocks @critical', async ({ startNetwork, sdk, recorder, rawRpc }) => {
    test.setTimeout(300_000);
    const { network: net, chain, accounts } = await privateNetwork(startNetwork, sdk, recorder);
    const url = net.node(1).rpcUrl;
    const pos = net.genesis.app_state.pos.params;
    const bps = net.spec.timing.blocksPerSession;
    const [op] = accounts(1);
    // 10 and 0.6 at genesis: at most 4 missed; 12 and 0.5: at most 6.
    const WINDOW = 12;
    const MIN_SIGNED = '0.500000000000000000';
    const MAX_MISSED = WINDOW - Math.round(0.5 * WINDOW);
    const genesisMaxMissed = Number(pos.signed_blocks_window) - Math.round(Number(pos.min_signed_per_window) * Number(pos.signed_blocks_window));
    const FRACTION = '0.020000000000000000';
    const JAIL_NS = 45_000_000_000n;
    const MAX_JAILED = 8;
    expect(MAX_MISSED, 'the new threshold differs from the genesis one').not.toBe(genesisMaxMissed);
    await changeParams(net, chain, rawRpc, net.keys.daoOwner, [
      { key: 'pos/SignedBlocksWindow', from: String(pos.signed_blocks_window), to: String(WINDOW) },
      { key: 'pos/MinSignedPerWindow', from: String(pos.min_signed_per_window), to: MIN_SIGNED },
      { key: 'pos/SlashFractionDowntime', from: String(pos.slash_fraction_downtime), to: FRACTION },
      { key: 'pos/DowntimeJailDuration', from: String(pos.downtime_jail_duration), to: JAIL_NS.toString() },
      { key: 'pos/MaxJailedBlocks', from: String(pos.max_jailed_blocks), to: String(MAX_JAILED) },
    ]);

    // The remainder below 1e6 is not part of the power, so it is never slashed.
    const S = 20_000_123_456n;
    const BURN = 400_000_000n; // floor(S / 1e6) × 1e6 × 0.02
    await test.step('a servicer with no process behind it stakes S', async () => {
      const tx = await chain.submitAndCommit(op, (s) => s.nodeStake(op.publicKey, op.address, CHAINS, S.toString(), serviceUrl('phantom-params')));
      expect(await txResult(rawRpc, url, tx.hash)).toMatchObject({ code: 0, codespace: '' });
    });

    const jail = await firstJailedHeight(rawRpc, url, op.address, () => chain.height());
    const signing = async (h: number) => (await rawRpc.post<{ result: Array<{ missed_blocks_counter: number; jailed_until: string }> }>(url, '/v1/query/signinginfo', { height: h, address: op.address })).data.result[0];
    const blockTime = async (h: number) => nanos((await rawRpc.post<{ block: { header: { time: string } } }>(url, '/v1/query/block', { height: h })).data.block.header.time);

    await test.step(`jailed in block ${jail} as its missed count passed ${MAX_MISSED} (${WINDOW} − round(0.5 × ${WINDOW})), not ${genesisMaxMissed}`, async () => {
      const before = await signing(jail - 1);
      expect(before.missed_blocks_counter, `missed blocks at ${jail - 1}`).toBe(MAX_MISSED);
      expect(await nodeState(rawRpc, url, op.address, jail - 1)).toMatchObject({ status: STAKED, jailed: false, tokens: S.toString() });
    });

    await test.step(`slashed by the new fraction (${BURN} upokt) and jailed until its block time + 45 s`, async () => {
      expect(await nodeState(rawRpc, url, op.address, jail)).toMatchObject({ status: STAKED, jailed: true, tokens: (S - BURN).toString() });
      expect(nanos((await signing(jail)).jailed_until)).toBe((await blockTime(jail)) + JAIL_NS);
    });

    // As in forced-paths.spec.ts: block jail + max_jailed_blocks is the first past the limit,
    // released at the first height from then on that ends a session.
    const releasedAt = Math.ceil((jail + MAX_JAILED) / bps) * bps;
    await test.step(`jailed past ${MAX_JAILED} blocks it is force-unstaked: unstaking from ${releasedAt}`, async () => {
      await net.waitForHeight(releasedAt + 1, { nodes: [net.node(1)] });
      expect(await nodeState(rawRpc, url, op.address, releasedAt - 1)).toMatchObject({ status: STAKED, jailed: true, tokens: (S - BURN).toString() });
      expect(await nodeState(rawRpc, url, op.address, releasedAt)).toMatchObject({ status: UNSTAKING, jailed: true, tokens: (S - BURN).toString() });
    });
  });
});
