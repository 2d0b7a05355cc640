import axios from 'axios';
import { test, expect } from '../../fixtures/pocket';
import { currentSession, ETH_CHAIN_ID, postRelay, relayClient, relayTo, sendRelay } from '../../fixtures/relay';
import { outcome, relayForEarlierSession } from '../../fixtures/session-rollover';
import { setPocketConfig, versionAtLeast } from '../../fixtures/node-settings';
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

  // RC-0.10+ (x/pocketcore/keeper/service.go HandleRelay → keeper/session.go
  // IsProofSessionHeightWithinTolerance): a relay names its session height, and a servicer accepts
  // any session from latest − client_session_sync_allowance × blocks_per_session to the latest.
  // The allowance is node config (pocket_config.client_session_sync_allowance, default 0), which
  // this network leaves at its default. RC-0.9.2 has no allowance: the relay's session height must
  // be the latest session (x/pocketcore/types/service.go Relay.Validate). Either way a relay for the
  // previous session gets pocketcore code 60 here.
  test('with the default client_session_sync_allowance (0), a relay for the previous session is refused once the next session starts (code 60) @critical', async ({ network, rawRpc }) => {
    const answer = outcome(await relayForEarlierSession(network, rawRpc, network.keys.apps[1], 1));
    expect(answer).toEqual({ status: 400, error: { code: 60, codespace: 'pocketcore', message: 'the block height passed is invalid' } });
  });

  test('with client_session_sync_allowance 1, the previous session is still served and the one before it refused (code 60); RC-0.9.2 refuses both', { tag: '@nightly' }, async ({ startNetwork, rawRpc }) => {
    test.setTimeout(300_000);
    const net = await startNetwork();
    await test.step('every node runs with pocket_config.client_session_sync_allowance = 1 (config.json, then a restart)', async () => {
      for (const node of net.nodes) await setPocketConfig(node, { client_session_sync_allowance: 1 });
    });
    const app = net.keys.apps[0];
    const hasAllowance = versionAtLeast(net.image.appVersion, [0, 10, 0]);

    const served = { status: 200, result: '0x7a69' };
    const refused = { status: 400, error: { code: 60, codespace: 'pocketcore', message: 'the block height passed is invalid' } };
    const previous = outcome(await relayForEarlierSession(net, rawRpc, app, 1));
    expect(previous, `${net.image.appVersion}: the previous session is ${hasAllowance ? 'within the allowance' : 'not the latest session'}`).toEqual(hasAllowance ? served : refused);
    const older = outcome(await relayForEarlierSession(net, rawRpc, app, 2));
    expect(older, 'two sessions back is beyond the allowance').toEqual(refused);
  });

  test('relays keep working for a fresh client key of the same app (new AAT)', async ({ network, rawRpc }) => {
    const app = network.keys.apps[0];
    const session = await currentSession(network, rawRpc, app, '0021');
    const servicer = session.servicers[0];
    const relay = buildRelay({ app, client: randomKey(), servicerPublicKey: servicer.key.publicKey, chain: '0021', sessionHeight: session.sessionHeight, blockHeight: session.height, payload: ETH_CHAIN_ID });
    expect((await postRelay(rawRpc, servicer, relay)).status).toBe(200);
  });
});
