/**
 * client/challenge: a client that got two agreeing answers and one different answer from the
 * three servicers of a session reports the odd one out. The "lying" answer is signed with that
 * servicer's own key (a test net hands us every validator key), so the challenge is genuine
 * pocket-core input that pocket-js could only produce with a real faulty node. The second scenario
 * follows enough challenges on chain: the reporter's challenge claim, its proof and the burn.
 */
import { bytesToHex } from '@noble/hashes/utils';
import { test, expect } from '../../fixtures/pocket';
import { claimableRelays, freshSessions, proofOf, rewardCycleNetwork, waitForClaim } from '../../fixtures/claims';
import { expectUnlessKnownDefect } from '../../fixtures/known-defect';
import { privateNetwork } from '../../fixtures/private-network';
import { currentSession, postRelay, type CurrentSession } from '../../fixtures/relay';
import { RewardLedger } from '../../fixtures/reward-ledger';
import { mintedForRelays } from '../../fixtures/reward-math';
import { MAX_CLAIM_AGE_FOR_PROOF_RETRY } from '../../network/node-config';
import { RawRpc } from '../../fixtures/rpc-client';
import type { PocketKey } from '../../network/keys';
import type { PocketNode } from '../../network/pocket-node';
import { buildRelay, responseHash, type RelayRequest } from '../../network/relay-crypto';
import { randomKey, sign } from '../../network/keys';

test.describe('challenge', () => {
  test('two agreeing answers and one signed different answer make a challenge the session accepts', async ({ network, rawRpc }) => {
    const app = network.keys.apps[0];
    const session = await currentSession(network, rawRpc, app, '0021');
    expect(session.servicers.length, 'a challenge needs three servicers').toBeGreaterThanOrEqual(3);
    const [s1, s2, liar] = session.servicers;
    const client = randomKey();
    const payload = { data: JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'eth_chainId', params: [] }), method: 'POST', path: '', headers: null };
    const relayFor = (servicer: typeof s1): RelayRequest =>
      buildRelay({ app, client, servicerPublicKey: servicer.key.publicKey, chain: '0021', sessionHeight: session.sessionHeight, blockHeight: session.height, payload });

    const majority = [];
    for (const s of [s1, s2]) {
      const relay = relayFor(s);
      const answer = await postRelay(rawRpc, s, relay);
      expect(answer.status).toBe(200);
      majority.push({ signature: answer.signature!, payload: answer.response!, proof: relay.proof });
    }
    const liarRelay = relayFor(liar);
    const lie = JSON.stringify({ id: 9, jsonrpc: '2.0', result: '0xdead' });
    const minority = { signature: bytesToHex(sign(liar.key, Buffer.from(responseHash(lie, liarRelay.proof), 'hex'))), payload: lie, proof: liarRelay.proof };

    const res = await rawRpc.post(s1.rpcUrl, '/v1/client/challenge', { majority_responses: majority, minority_response: minority, reporters_address: client.address });
    expect(res.status, JSON.stringify(res.data)).toBe(200);
    expect(res.data).toEqual({ response: expect.stringMatching(/^successfully stored challenge proof for [0-9a-f]{64}$/) });

    const agreeing = await rawRpc.post(s1.rpcUrl, '/v1/client/challenge', { majority_responses: majority, minority_response: majority[0], reporters_address: client.address });
    expect(agreeing.status, 'a "minority" that agrees with the majority is no challenge').toBe(400);
  });

  test('a challenge claim that reaches the chain is proven and burns the minority servicer\'s stake by exactly the multiplier × challenges × its PIP-22 weight', { tag: '@nightly' }, async ({ startNetwork, sdk, recorder }) => {
    test.setTimeout(300_000);
    const rpc = new RawRpc(recorder); // the rawRpc fixture would also boot the worker's shared network, unused here
    const { network: net } = await privateNetwork(startNetwork, sdk, recorder, rewardCycleNetwork);
    const url = net.node(1).rpcUrl;
    const app = net.keys.apps[0];
    const challenges = claimableRelays(net) + 1;
    const session = (await freshSessions(net, rpc, app, ['0021']))['0021'];
    const [reporter, second, liar] = session.servicers;

    await test.step(`${challenges} challenges against ${liar.name}, each sent to ${reporter.name}: stored`, async () => {
      for (let i = 0; i < challenges; i++) {
        const res = await rpc.post(reporter.rpcUrl, '/v1/client/challenge', signedChallenge(session, app, [reporter, second], liar));
        expect(res.status, JSON.stringify(res.data)).toBe(200);
      }
    });

    const claim = await test.step(`${reporter.name} claims exactly the ${challenges} challenges once the session ends`, () => waitForClaim(rpc, url, reporter.address, app, '0021', session.sessionHeight));
    expect(claim.total_proofs).toBe(challenges);

    // The servicer retries the proof until MAX_CLAIM_AGE_FOR_PROOF_RETRY blocks after the session
    // height, then drops the evidence: by one session later, a proof landed or never will.
    const givenUp = session.sessionHeight + MAX_CLAIM_AGE_FOR_PROOF_RETRY + net.spec.timing.blocksPerSession;
    await test.step(`the proof window closes (height ${givenUp})`, () => net.waitForHeight(givenUp, { timeoutMs: 120_000 }));
    const proof = await proofOf(rpc, url, reporter.address, claim);
    const ledger = new RewardLedger(net, rpc);
    const H = proof?.height ?? givenUp;
    const stakeBefore = BigInt((await ledger.node(liar.address, proof ? H - 1 : session.sessionHeight)).tokens);
    const observed = { proven: proof !== undefined, burned: stakeBefore - BigInt((await ledger.node(liar.address, H)).tokens) };
    // The burn due: the global multiplier × challenges × the relay reward's own stake weight
    // (mintedForRelays without the per-chain map). BurnForChallenge (x/nodes/keeper/slash.go) caps
    // the floored stake at ceiling − stake % floor instead, bin 0 for this network's validators
    // (100,000 POKT, floor = ceiling = 15,000): only a proof that lands can show which one holds.
    const params = await ledger.params(H);
    const due = mintedForRelays(params, { rscal: ledger.features(H).rscal, perChainRttm: false, rewardDelegators: false }, '0021', BigInt(challenges), stakeBefore);
    expect(due, 'the burn due is not empty').toBeGreaterThan(0n);
    await expectUnlessKnownDefect('PC-CHALLENGE-PROOF-REJECTED', observed, {
      correct: { proven: true, burned: due },
      defect: { proven: false, burned: 0n },
    }, net);
  });
});

/**
 * A challenge as a client that got conflicting answers builds it: the two majority answers and the
 * minority one, each signed with its servicer's own key (a test net hands us every key), for one
 * fresh relay each. No relay is sent, so no servicer stores relay evidence: the only claim the
 * reporter makes for the session is the challenge claim.
 */
function signedChallenge(session: CurrentSession, app: PocketKey, majorityServicers: PocketNode[], liar: PocketNode) {
  const client = randomKey();
  const payload = { data: JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'eth_chainId', params: [] }), method: 'POST', path: '', headers: null };
  const answer = (servicer: PocketNode, response: string) => {
    const relay = buildRelay({ app, client, servicerPublicKey: servicer.key.publicKey, chain: '0021', sessionHeight: session.sessionHeight, blockHeight: session.height, payload });
    return { signature: bytesToHex(sign(servicer.key, Buffer.from(responseHash(response, relay.proof), 'hex'))), payload: response, proof: relay.proof };
  };
  const agreed = JSON.stringify({ id: 9, jsonrpc: '2.0', result: '0x1' });
  return {
    majority_responses: majorityServicers.map((s) => answer(s, agreed)),
    minority_response: answer(liar, JSON.stringify({ id: 9, jsonrpc: '2.0', result: '0xdead' })),
    reporters_address: client.address,
  };
}
