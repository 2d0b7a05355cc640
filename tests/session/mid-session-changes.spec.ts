/**
 * Mid-session changes, issue #16 family 5.
 *
 * A session is dealt from the state at its session height (pocket-core RC-0.12.0 x/pocketcore
 * keeper/session.go: the session context is the block at session_height), and relays are judged
 * against that same state (keeper/service.go). So a servicer keeps its old
 * service URL in the session under way, and an app that raises its stake keeps the relay limit it
 * had at the session start. Claims are the exception: they are judged against the session as
 * dealt again from the state at its end (keeper/claim.go ValidateClaim), so a servicer that drops
 * the chain mid-session is refused the claim for the relays it already served. Dispatch shows each
 * change from the first session that starts after the edit.
 */
import { chainOn, test, expect } from '../../fixtures/pocket';
import { stakeFields, withNodeStake } from '../../fixtures/node-messages';
import { accountTxs, claimableRelays, claimsOf, freshSessions, rewardCycleNetwork, sendRelays, waitForClaim, waitForProof } from '../../fixtures/claims';
import { privateNetwork } from '../../fixtures/private-network';
import { currentSession, postNewRelays, relayTo } from '../../fixtures/relay';
import { expectProofBlock, RewardLedger } from '../../fixtures/reward-ledger';
import { RawRpc } from '../../fixtures/rpc-client';
import { appState, nodeState, STAKED } from '../../fixtures/staking';
import { txResult } from '../../fixtures/tx-result';
import { sessionHeightAt } from '../../network/relay-crypto';
import type { StartedPocketNetwork } from '../../network/started-network';
import { pollUntil } from '../../network/poll';

interface Dispatch { session: { header: { session_height: number }; nodes: Array<{ address: string; service_url: string }> } }

async function serviceUrlInSession(net: StartedPocketNetwork, rpc: RawRpc, sessionHeight: number, address: string): Promise<string> {
  const res = await rpc.post<Dispatch>(net.node(1).rpcUrl, '/v1/client/dispatch', { app_public_key: net.keys.apps[0].publicKey, chain: '0021', session_height: sessionHeight });
  expect(res.status, `dispatch of session ${sessionHeight}: ${JSON.stringify(res.data).slice(0, 200)}`).toBe(200);
  expect(res.data.session.header.session_height).toBe(sessionHeight);
  const member = res.data.session.nodes.find((n) => n.address.toLowerCase() === address.toLowerCase());
  expect(member, `${address} in session ${sessionHeight} (every node is dealt: session_node_count = 4)`).toBeDefined();
  return member!.service_url;
}

/**
 * The answer to a relay over a servicer's limit: GetEvidence (x/pocketcore/types/cache.go) seals
 * the session's evidence once it holds the limit, so the next relay meets the seal (code 90)
 * before the over-service check (71) is reached. The same in RC-0.9.2 … RC-0.12.0.
 */
const OVER_LIMIT = { status: 400, error: { code: 90, codespace: 'pocketcore', message: 'the evidence is sealed, either max relays reached or claim already submitted' } };

test.describe('mid-session changes', () => {
  test('a servicer that changes its service URL mid-session keeps the old URL in the session under way; dispatch gives the new one from the next session', async ({ startNetwork, sdk, recorder, rawRpc }) => {
    test.setTimeout(180_000);
    const net = await startNetwork((b) => b.withNodes(4).withSessionNodeCount(4).withApps(1).withAccounts(1));
    const chain = chainOn(sdk, net, recorder);
    const url = net.node(1).rpcUrl;
    const node = net.node(4);
    const perSession = net.spec.timing.blocksPerSession;
    const NEW_URL = 'https://node4-moved.pokt.local:443';
    const current = (await nodeState(rawRpc, url, node.address))!;
    expect(current.service_url).not.toBe(NEW_URL);

    const edit = await test.step(`${node.name} edits its stake: same amount and chains, service URL ${NEW_URL}`, async () => {
      const tx = await chain.submitAndCommit(node.key, (s) => s.nodeStake(node.key.publicKey, node.address, current.chains, current.tokens, new URL(NEW_URL)));
      expect(await txResult(rawRpc, url, tx.hash)).toMatchObject({ code: 0, codespace: '' });
      expect((await nodeState(rawRpc, url, node.address, tx.height - 1))!.service_url).toBe(current.service_url);
      expect((await nodeState(rawRpc, url, node.address, tx.height))!.service_url).toBe(NEW_URL);
      return tx;
    });

    // The session that starts exactly at the edit's block is left out: which side of the edit its
    // state is on is not what this test is about.
    const before = sessionHeightAt(edit.height - 1, perSession);
    const after = sessionHeightAt(edit.height, perSession) + perSession;

    await test.step(`session ${before} (started before the edit at ${edit.height}) still lists the old URL`, async () => {
      expect(await serviceUrlInSession(net, rawRpc, before, node.address)).toBe(current.service_url);
    });

    await test.step(`session ${after} (the first that starts after the edit) lists the new URL`, async () => {
      await chain.waitForHeight(after);
      expect(await serviceUrlInSession(net, rawRpc, after, node.address)).toBe(NEW_URL);
    });
  });

  test('a servicer that drops a chain mid-session loses that session: its claim for the relays it served there is refused (code 14) and no claim is stored, and dispatch leaves it out from the next session', { tag: '@nightly' }, async ({ startNetwork, sdk, recorder }) => {
    test.setTimeout(300_000);
    const rpc = new RawRpc(recorder); // the rawRpc fixture would also boot the worker's shared network, unused here
    const { network: net, chain } = await privateNetwork(startNetwork, sdk, recorder, (b) => rewardCycleNetwork(b).withAccounts(1));
    const url = net.node(1).rpcUrl;
    const app = net.keys.apps[0];
    const relays = claimableRelays(net) + 1;
    const session = (await freshSessions(net, rpc, app, ['0021']))['0021'];
    const servicer = session.servicers[0];

    await test.step(`${servicer.name} serves ${relays} relays on 0021 in session ${session.sessionHeight}`, () => sendRelays(rpc, session, servicer, app, '0021', relays));

    const edit = await test.step(`${servicer.name} edits its stake to drop 0021 (same tokens and URL), inside that session`, async () => {
      const current = (await nodeState(rpc, url, servicer.address))!;
      const kept = current.chains.filter((c) => c !== '0021');
      expect(kept.length, 'the servicer stakes another chain to keep').toBeGreaterThan(0);
      // Our typed v8 stake message: pocket-js's nodeStake refuses the http:// service URL the node has (PJS-NODESTAKE-HTTP-URL).
      const tx = await chain.submitAndCommit(servicer.key, withNodeStake(chain, stakeFields(servicer.key, { chains: kept, amount: BigInt(current.tokens), serviceUrl: current.service_url, outputAddress: current.output_address || undefined })));
      expect(await txResult(rpc, url, tx.hash)).toMatchObject({ code: 0, codespace: '' });
      expect((await nodeState(rpc, url, servicer.address, tx.height))!.chains).toEqual(kept);
      expect(tx.height, 'the edit lands inside the session that was served').toBeLessThan(session.sessionHeight + net.spec.timing.blocksPerSession);
      return tx;
    });

    // ValidateClaim (x/pocketcore/keeper/claim.go) deals the session again from the state at its
    // end, "to ensure that people who were jailed mid session do not get to submit claims"; a node
    // without the chain by then is out of it too (types/session.go NewSessionNodes: NodeHasChain).
    await test.step(`its claim for session ${session.sessionHeight} is refused: code 14, this node is not responsible for the session`, async () => {
      const refused = await pollUntil(async () => {
        return (await accountTxs(rpc, url, servicer.address)).find((t) => t.tx_result.message_type === 'claim' && t.height > edit.height);
      }, { timeoutMs: 90_000, intervalMs: 1000, what: `a claim transaction of ${servicer.name} after the session ended` });
      expect(refused.tx_result).toMatchObject({ code: 14, codespace: 'pocketcore' });
      expect((await claimsOf(rpc, url, servicer.address, Number(refused.height))).filter((c) => c.header.session_height === session.sessionHeight && c.header.chain === '0021'), 'no claim stored for the session').toEqual([]);
    });

    await test.step('the first session that starts after the edit deals 0021 to the other three nodes only', async () => {
      const next = sessionHeightAt(edit.height, net.spec.timing.blocksPerSession) + net.spec.timing.blocksPerSession;
      await net.waitForHeight(next);
      const res = await rpc.post<Dispatch>(url, '/v1/client/dispatch', { app_public_key: app.publicKey, chain: '0021', session_height: next });
      expect(res.status).toBe(200);
      expect(res.data.session.nodes.map((n) => n.address.toLowerCase()).sort()).toEqual(net.nodes.filter((n) => n !== servicer).map((n) => n.address.toLowerCase()).sort());
    });
  });

  test('an app that raises its stake mid-session keeps the session start\'s relay limit until the next session; the servicer is paid for exactly the relays it served', { tag: '@nightly' }, async ({ startNetwork, sdk, recorder }) => {
    test.setTimeout(300_000);
    const rpc = new RawRpc(recorder);
    const { network: net, chain, accounts } = await privateNetwork(startNetwork, sdk, recorder, (b) => rewardCycleNetwork(b).withAccounts(1));
    const url = net.node(1).rpcUrl;
    const [app] = accounts(1);
    const seats = net.spec.sessionNodeCount;
    // A servicer's limit is max_relays / chains / session_node_count (x/pocketcore/types
    // session.go MaxPossibleRelays); at 100 relays per POKT, 1 POKT per relay on one chain.
    const perServicer = claimableRelays(net);
    const stake = BigInt(perServicer * seats) * 1_000_000n;
    const raised = stake * 3n;
    const limitOf = async (height: number) => Math.round(Number((await appState(rpc, url, app.address, height))!.max_relays) / 1 / seats);

    await test.step(`the app stakes ${stake} upokt on 0021: a limit of ${perServicer} relays per servicer`, async () => {
      const tx = await chain.submitAndCommit(app, (s) => s.appStake(app.publicKey, ['0021'], stake.toString()));
      expect(await txResult(rpc, url, tx.hash)).toMatchObject({ code: 0 });
      expect(await appState(rpc, url, app.address, tx.height)).toMatchObject({ status: STAKED, staked_tokens: stake.toString() });
      expect(await limitOf(tx.height)).toBe(perServicer);
    });

    const session = (await freshSessions(net, rpc, app, ['0021']))['0021'];
    const servicer = session.servicers[0];
    const served = (s: typeof session, count: number) => postNewRelays(rpc, servicer, () => relayTo(s, servicer, app, '0021'), count);

    const edit = await test.step(`mid-session, the app raises its stake to ${raised} upokt: max_relays triples from that block`, async () => {
      const tx = await chain.submitAndCommit(app, (s) => s.appStake(app.publicKey, ['0021'], raised.toString()));
      expect(await txResult(rpc, url, tx.hash)).toMatchObject({ code: 0 });
      expect(await limitOf(tx.height)).toBe(perServicer * 3);
      expect(tx.height, 'the raise lands inside the session').toBeLessThan(session.sessionHeight + net.spec.timing.blocksPerSession);
      return tx;
    });

    await test.step(`in session ${session.sessionHeight}, ${servicer.name} serves ${perServicer} relays and refuses the next: the session's evidence is sealed at the limit (code 90)`, async () => {
      const answers = await served(session, perServicer + 1);
      expect(answers.slice(0, perServicer).map((a) => a.status)).toEqual(Array(perServicer).fill(200));
      expect(answers[perServicer]).toMatchObject(OVER_LIMIT);
    });

    await test.step(`from the next session, the raised limit: ${perServicer * 3} relays served, the next refused`, async () => {
      const next = await pollUntil(async () => {
        const s = await currentSession(net, rpc, app, '0021');
        return s.sessionHeight > edit.height && s.servicers.includes(servicer) ? s : undefined;
      }, { timeoutMs: 120_000, intervalMs: 1000, what: `a session after the raise that ${servicer.name} serves` });
      const answers = await served(next, perServicer * 3 + 1);
      expect(answers.slice(0, perServicer * 3).map((a) => a.status)).toEqual(Array(perServicer * 3).fill(200));
      expect(answers[perServicer * 3]).toMatchObject(OVER_LIMIT);
    });

    const claim = await test.step(`the claim for session ${session.sessionHeight} holds exactly the ${perServicer} relays served`, () => waitForClaim(rpc, url, servicer.address, app, '0021', session.sessionHeight));
    expect(claim.total_proofs).toBe(perServicer);
    const proof = await test.step('its proof is accepted', () => waitForProof(rpc, url, servicer.address, claim));
    await test.step(`the proof block ${proof.height} pays exactly the reward of ${perServicer} relays`, () =>
      expectProofBlock(new RewardLedger(net, rpc), proof.height, [{ servicer: servicer.address, chain: '0021', relays: perServicer }]));
  });
});
