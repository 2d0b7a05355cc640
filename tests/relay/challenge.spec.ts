/**
 * client/challenge: a client that got two agreeing answers and one different answer from the
 * three servicers of a session reports the odd one out. The "lying" answer is signed with that
 * servicer's own key (a test net hands us every validator key), so the challenge is genuine
 * pocket-core input that pocket-js could only produce with a real faulty node.
 */
import { bytesToHex } from '@noble/hashes/utils';
import { test, expect } from '../../fixtures/pocket';
import { currentSession, postRelay } from '../../fixtures/relay';
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
});
