import { test, expect } from '../../fixtures/pocket';
import { ok } from '../../fixtures/chain';
import { currentSession, relayClient, sendRelay } from '../../fixtures/relay';
import { pollUntil } from '../../network/poll';
import { keyFromSecret } from '../../network/keys';
import { seededRandom } from '../../fixtures/seeded-random';

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

  test('a challenge sent to a node outside the app\'s session is refused as "node not in session" (pocketcore 83; axios: pocket-js requestChallenge needs a real disputed relay)', async ({ network, rawRpc }) => {
    const app = network.keys.apps[0];
    // x/pocketcore/keeper/service.go HandleChallenge → ValidateLocal: the receiving node must be in
    // the app's current session on the challenged chain, or it answers CodeNodeNotInSessionError.
    const { outsider, res } = await pollUntil(async () => {
      const session = await currentSession(network, rawRpc, app, '0001');
      const outsider = session.outsiders[0];
      const res = await rawRpc.post(outsider.rpcUrl, '/v1/client/challenge', {
        majority_responses: [],
        // A RelayResponse as pocket-core reads it: {signature, payload, proof}.
        minority_response: { signature: '', payload: '{}', proof: { request_hash: '', entropy: 1, session_block_height: session.sessionHeight, servicer_pub_key: outsider.key.publicKey, blockchain: '0001', aat: { version: '0.0.1', app_pub_key: app.publicKey, client_pub_key: app.publicKey, signature: '' }, signature: '' } },
        reporters_address: outsider.address,
      });
      // The same session before and after: the node judged it against the session we read.
      return (await currentSession(network, rawRpc, app, '0001')).sessionHeight === session.sessionHeight ? { outsider, res } : undefined;
    }, { timeoutMs: 60_000, intervalMs: 200, what: 'a challenge answered within one session' });
    expect(res.status, outsider.name).toBe(400);
    expect(res.data.code).toBe(400);
    expect(res.data.message).toMatch(/Codespace: pocketcore\s+Code: 83\s+Message: "the node is not within the session"/);
  });

  test('a challenge whose minority response names an app that is not staked is refused as "app not found" (pocketcore 45)', async ({ network, rawRpc }, testInfo) => {
    const stranger = keyFromSecret((await seededRandom(testInfo)).bytes(32));
    const node = network.node(1);
    const res = await rawRpc.post(node.rpcUrl, '/v1/client/challenge', {
      majority_responses: [],
      minority_response: { signature: '', payload: '{}', proof: { request_hash: '', entropy: 1, session_block_height: 1, servicer_pub_key: node.key.publicKey, blockchain: '0001', aat: { version: '0.0.1', app_pub_key: stranger.publicKey, client_pub_key: stranger.publicKey, signature: '' }, signature: '' } },
      reporters_address: node.address,
    });
    expect(res.status).toBe(400);
    expect(res.data.code).toBe(400);
    expect(res.data.message).toMatch(/Codespace: pocketcore\s+Code: 45\s+Message: "the app could not be found in the world state"/);
  });
});
