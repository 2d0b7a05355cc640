import { test, expect } from '../../fixtures/pocket';
import { ok } from '../../fixtures/chain';
import { relayClient, sendRelay } from '../../fixtures/relay';

test.describe('client routes', () => {
  test('dispatch, relay and rawtx through pocket-js do what a client needs', async ({ network, chain, sdk, pocket, accounts }) => {
    const app = network.keys.apps[0];
    const h = await chain.height();
    const session = ok(sdk, await chain.rpc.client.dispatch(new sdk.DispatchRequest(new sdk.SessionHeader(app.publicKey, '0001', BigInt(h)))), 'dispatch');
    expect(session.nodes).toHaveLength(network.spec.sessionNodeCount);

    const rc = await relayClient(sdk, pocket, app);
    const relay = await sendRelay(sdk, pocket, rc, { chain: '0001', data: JSON.stringify({}), method: 'POST', path: '/v1/query/height' });
    expect(JSON.parse(relay.payload).height).toBeGreaterThanOrEqual(h);

    const [from, to] = accounts(2);
    const hash = await chain.submit(from, (s) => s.send(from.address, to.address, '1'));
    expect(hash).toMatch(/^[0-9A-F]{64}$/);
    expect((await chain.waitForTx(hash)).code).toBe(0);
  });

  test('sim relays a payload to a hosted chain without a session (node flag --simulateRelay; axios: no pocket-js call)', async ({ network, rawRpc }) => {
    const data = JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'eth_chainId', params: [] });
    const res = await rawRpc.post(network.node(2).rpcUrl, '/v1/client/sim', { relay_network_id: '0021', payload: { data, method: 'POST', path: '', headers: {} } });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.data as string)).toEqual({ jsonrpc: '2.0', id: 7, result: '0x7a69' });
  });

  test('challenge with a minority response that is not signed by a session servicer is refused (axios: pocket-js requestChallenge needs a real disputed relay)', async ({ network, rawRpc }) => {
    const app = network.keys.apps[0];
    const res = await rawRpc.post(network.node(1).rpcUrl, '/v1/client/challenge', {
      majority_responses: [],
      minority_response: { relay: { payload: { data: '{}', method: 'POST', path: '', headers: {} }, meta: { block_height: 1 }, proof: { request_hash: '', entropy: 1, session_block_height: 1, servicer_pub_key: network.node(1).key.publicKey, blockchain: '0001', aat: { version: '0.0.1', app_pub_key: app.publicKey, client_pub_key: app.publicKey, signature: '' }, signature: '' } } },
      address: network.node(1).address,
    });
    expect(res.status).toBe(400);
    expect(res.data.code).toBe(400);
    expect(res.data.message).toMatch(/Codespace: pocketcore/);
  });
});
