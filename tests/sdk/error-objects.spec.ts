/**
 * Failure answers surface from pocket-js as RpcError values, never as thrown exceptions. (The
 * unreachable node and the 400 answer are in aat-and-relays.spec.ts.)
 */
import { test, expect } from '../../fixtures/pocket';
import { relayClient } from '../../fixtures/relay';
import { startStubServer } from '../../fixtures/relay-proxy';

test.describe('pocket-js error objects', () => {
  // A real pocket-core answers its own errors with 400; a 500 comes from what sits in front of
  // it (a crashed handler, a gateway), so a loopback stub stands in for such a node.
  test('a node answering 500 surfaces as an RpcError from a query, a dispatch and a relay', async ({ network, sdk }) => {
    const stub = await startStubServer(500, { code: 500, message: 'internal server error' });
    try {
      const url = new URL(stub.url);
      const pocket = new sdk.Pocket([url], new sdk.HttpRpcProvider(url), new sdk.Configuration(1, 10, 0, 5_000, false, 4, 1_000, 1, true, false, false));
      const height = await pocket.rpc()!.query.getHeight(5_000);
      expect(height).toBeInstanceOf(sdk.RpcError);
      expect((height as Error).message).toContain('internal server error');

      const dispatch = await pocket.rpc()!.client.dispatch(new sdk.DispatchRequest(new sdk.SessionHeader(network.keys.apps[0].publicKey, '0021', BigInt(0))), 5_000);
      expect(dispatch).toBeInstanceOf(sdk.RpcError);
      expect((dispatch as Error).message).toContain('internal server error');
      expect(stub.hits, 'the query and the dispatch each asked the stub once').toBe(2);

      const rc = await relayClient(sdk, pocket, network.keys.apps[0]);
      const relay = await pocket.sendRelay('{}', '0021', rc.aat, undefined, undefined, sdk.HTTPMethod.POST, '');
      expect(relay, 'the dispatch behind the relay failed with 500').toBeInstanceOf(sdk.RpcError);
      // pocket-js's SessionManager tries each dispatcher twice (maxAttempts = dispatchers × 2), then gives up.
      expect((relay as Error).message).toBe('Unable to create a new session due to dispatchers failure.');
      expect(stub.hits, 'the relay\'s two dispatch attempts, and no relay (there was no session to send it in)').toBe(4);
    } finally {
      await stub.close();
    }
  });
});
