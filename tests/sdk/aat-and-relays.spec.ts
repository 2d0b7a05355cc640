import { test, expect } from '../../fixtures/pocket';
import { relayClient, sendRelay } from '../../fixtures/relay';
import { aatHash, sessionHeightAt } from '../../network/relay-crypto';
import { recordingProvider } from '../../fixtures/rpc-client';
import { randomKey, verify } from '../../network/keys';
import { startRelayProxy } from '../../fixtures/relay-proxy';
import { pollUntil } from '../../network/poll';

test.describe('pocket-js AATs and relays', () => {
  test('an AAT made by pocket-js carries an app signature that verifies with our implementation of the spec', async ({ network, sdk }) => {
    const app = network.keys.apps[0];
    const client = randomKey();
    const aat = await sdk.PocketAAT.from('0.0.1', client.publicKey, app.publicKey, app.privateKey);
    expect(aat.isValid()).toBe(true);
    const hash = aatHash({ version: aat.version, app_pub_key: aat.applicationPublicKey, client_pub_key: aat.clientPublicKey });
    expect(verify(app.publicKey, Buffer.from(hash, 'hex'), aat.applicationSignature)).toBe(true);
    expect(verify(client.publicKey, Buffer.from(hash, 'hex'), aat.applicationSignature), 'signed by the app, not the client').toBe(false);
  });

  test('sendRelay dispatches once and serves later relays of the session from its cache', async ({ network, sdk, chain }) => {
    // pocket-js dispatches through a provider of its own (not the recording one): a proxy as its
    // only dispatcher counts what it really sends.
    const proxy = await startRelayProxy(network);
    try {
      const bps = network.spec.timing.blocksPerSession;
      const url = new URL(proxy.url);
      const config = new sdk.Configuration(1, 1000, 0, 10_000, false, bps, network.spec.timing.blockTimeMs, 3, true, false, false);
      const proxied = new sdk.Pocket([url], new sdk.HttpRpcProvider(url), config);
      const rc = await relayClient(sdk, proxied, network.keys.apps[1]);
      const data = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] });
      // From a session's first block, so both relays fall in one session.
      await pollUntil(async () => { const h = await chain.height(); return sessionHeightAt(h, bps) === h ? h : undefined; }, { timeoutMs: 30_000, intervalMs: 100, what: 'the first block of a session' });
      const first = await sendRelay(sdk, proxied, rc, { chain: '0021', data, method: 'POST' });
      const second = await sendRelay(sdk, proxied, rc, { chain: '0021', data, method: 'POST' });
      expect(Number(second.relayRequest.proof.sessionBlockHeight), 'both relays in one session').toBe(Number(first.relayRequest.proof.sessionBlockHeight));
      expect({ dispatches: proxy.dispatches, relays: proxy.relays.length }, 'one dispatch for two relays in the same session').toEqual({ dispatches: 1, relays: 2 });
    } finally {
      await proxy.close();
    }
  });

  test('a consensus relay (consensusNodeCount 3, odd) over the whole session returns the agreed answer', async ({ network, sdk, recorder }) => {
    // pocket-js reads consensusNodeCount from the Pocket instance's configuration, not the one passed to the call.
    const config = new sdk.Configuration(network.nodes.length, 1000, 3, 10_000, false, network.spec.timing.blocksPerSession, network.spec.timing.blockTimeMs, 3, true, false, false);
    const consensusPocket = new sdk.Pocket(network.nodes.map((n) => new URL(n.rpcUrl)), recordingProvider(sdk, network.node(1).rpcUrl, recorder), config);
    const rc = await relayClient(sdk, consensusPocket, network.keys.apps[0]);
    const data = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] });
    const res = await consensusPocket.sendConsensusRelay(data, '0021', rc.aat, config, undefined, sdk.HTTPMethod.POST);
    if (res instanceof sdk.RpcError) throw new Error(`consensus relay: ${res.code} ${res.message}`);
    expect(res).toBeInstanceOf(sdk.ConsensusRelayResponse);
    const consensus = res as InstanceType<typeof sdk.ConsensusRelayResponse>;
    expect(JSON.parse(consensus.payload)).toMatchObject({ result: '0x7a69' });
    expect(consensus.consensusNodes.length).toBe(3);
  });

  test('an unreachable node surfaces as an RpcError value, not a crash', async ({ sdk }) => {
    const url = new URL('http://127.0.0.1:9');
    const dead = new sdk.Pocket([url], new sdk.HttpRpcProvider(url), new sdk.Configuration(1, 10, 0, 2000));
    const res = await dead.rpc()!.query.getHeight(2000);
    expect(res).toBeInstanceOf(sdk.RpcError);
  });

  test('a node answering 400 surfaces as an RpcError with the node\'s message', async ({ network, chain, sdk }) => {
    const res = await chain.rpc.query.getNode('ab'.repeat(20), BigInt(0));
    expect(res).toBeInstanceOf(sdk.RpcError);
    expect((res as Error).message).toContain('validator not found');
    void network;
  });
});
