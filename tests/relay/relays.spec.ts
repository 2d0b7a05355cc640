import axios from 'axios';
import { test, expect } from '../../fixtures/pocket';
import { currentSession, ETH_CHAIN_ID, postRelay, relayClient, relayTo, sendRelay } from '../../fixtures/relay';
import { buildRelay, verifyServicerSignature } from '../../network/relay-crypto';
import { randomKey } from '../../network/keys';

test.describe('relays', () => {
  test('a servicer signs its answer; the signature verifies with our own implementation of the spec @blocker', async ({ network, rawRpc }) => {
    const app = network.keys.apps[0];
    const session = await currentSession(network, rawRpc, app, '0021');
    for (const servicer of session.servicers) {
      const relay = relayTo(session, servicer, app, '0021');
      const answer = await test.step(`relay to ${servicer.name}`, () => postRelay(rawRpc, servicer, relay));
      expect(answer.status, JSON.stringify(answer.error)).toBe(200);
      expect(JSON.parse(answer.response!)).toEqual({ jsonrpc: '2.0', id: 1, result: '0x7a69' });
      expect(verifyServicerSignature(answer.response!, answer.signature!, relay.proof), `${servicer.name}'s signature`).toBe(true);
      expect(verifyServicerSignature(answer.response!.replace('0x7a69', '0x7a6a'), answer.signature!, relay.proof), 'a changed answer does not verify').toBe(false);
    }
  });

  test('a JSON-RPC batch relayed through pocket-js equals the chain\'s own batch answer', async ({ network, pocket, sdk }) => {
    const evm = network.chain('0021');
    const rc = await relayClient(sdk, pocket, network.keys.apps[0]);
    const batch = [
      { jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] },
      { jsonrpc: '2.0', id: 2, method: 'net_version', params: [] },
      { jsonrpc: '2.0', id: 3, method: 'eth_getBalance', params: ['0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266', '0x0'] },
    ];
    const relayed = await sendRelay(sdk, pocket, rc, { chain: evm.id, data: JSON.stringify(batch), method: 'POST' });
    const direct = (await axios.post(evm.hostUrl, batch)).data;
    expect(JSON.parse(relayed.payload)).toEqual(direct);
  });

  test('a REST relay with a path and headers reaches the chain at that path (chain 0001, pocket-js)', async ({ network, pocket, sdk, rawRpc }) => {
    const rc = await relayClient(sdk, pocket, network.keys.apps[0]);
    const relayed = await sendRelay(sdk, pocket, rc, { chain: '0001', data: JSON.stringify({ height: 0 }), method: 'POST', path: '/v1/query/nodeparams', headers: { 'Content-Type': 'application/json' } });
    const direct = await rawRpc.post(network.node(1).rpcUrl, '/v1/query/nodeparams', { height: 0 });
    expect(JSON.parse(relayed.payload)).toEqual(direct.data);
  });

  test('a relay for the previous session is still served (client_session_sync_allowance = 1)', async ({ network, rawRpc }) => {
    const app = network.keys.apps[1];
    const session = await currentSession(network, rawRpc, app, '0021');
    test.skip(session.sessionHeight <= network.spec.timing.blocksPerSession, 'the chain is still in its first session');
    const relay = relayTo(session, session.servicers[0], app, '0021', { sessionHeight: session.sessionHeight - network.spec.timing.blocksPerSession });
    const answer = await postRelay(rawRpc, session.servicers[0], relay);
    expect([200, 400]).toContain(answer.status);
    // Only a node that was in the previous session may serve it; any other refusal names the session.
    if (answer.status === 400) expect(answer.error?.code).toBe(14);
  });

  test('relays keep working for a fresh client key of the same app (new AAT)', async ({ network, rawRpc }) => {
    const app = network.keys.apps[0];
    const session = await currentSession(network, rawRpc, app, '0021');
    const servicer = session.servicers[0];
    const relay = buildRelay({ app, client: randomKey(), servicerPublicKey: servicer.key.publicKey, chain: '0021', sessionHeight: session.sessionHeight, blockHeight: session.height, payload: ETH_CHAIN_ID });
    expect((await postRelay(rawRpc, servicer, relay)).status).toBe(200);
  });
});
