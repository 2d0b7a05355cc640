/**
 * Known pocket-js defects, each stated as the correct behaviour: a fixed pocket-js turns the test
 * green, and they sit in the "Known upstream issues" category until then.
 */
import { test, expect } from '../../fixtures/pocket';
import { nodeRefusal, ok, TxRejected } from '../../fixtures/chain';
import { expectUnlessKnownDefect } from '../../fixtures/known-defect';
import { nodeState } from '../../fixtures/staking';
import { currentSession, postRelay, relayTo } from '../../fixtures/relay';
import { pollUntil } from '../../network/poll';
import { randomKey } from '../../network/keys';

/** pocket-core's refusal of pocket-js's protobuf appUnjail (type URL x.nodes.MsgUnjail) at submission. */
const APPUNJAIL_REFUSAL = {
  codespace: 'sdk',
  code: 2,
  message: 'ERROR:\nCodespace: sdk\nCode: 2\nMessage: "error decoding transaction: no concrete type registered for type URL x.nodes.MsgUnjail against interface *types.ProtoMsg"\n',
};

test.describe('pocket-js known defects', () => {
  test('appUnjail builds a message the node can decode: an app that is not jailed gets the app module\'s "not jailed" (105)', async ({ network, chain, accounts }) => {
    const [app] = accounts(1);
    const staked = await chain.submitAndCommit(app, (s) => s.appStake(app.publicKey, ['0021'], '2000000000'));
    expect(staked.code, staked.log).toBe(0);
    const outcome = await chain.submitAndCommit(app, (s) => s.appUnjail(app.address))
      .then((tx) => ({ committed: { code: tx.code, messageType: tx.messageType } }), (err: unknown) => ({ refused: nodeRefusal(err) }));
    await expectUnlessKnownDefect('PJS-APPUNJAIL-TYPEURL', outcome, {
      correct: { committed: { code: 105, messageType: 'app_unjail' } },
      defect: { refused: APPUNJAIL_REFUSAL },
    }, network);
  });

  test('nodeStake accepts the http:// service URLs pocket-core accepts', async ({ network, chain, rawRpc, recorder, accounts }) => {
    const [op] = accounts(1);
    const url = 'http://plain-http.pokt.local:8081';
    // pocket-core itself stores http:// service URLs (this network's validators use them).
    expect((await nodeState(rawRpc, network.node(1).rpcUrl, network.node(1).address))?.service_url).toMatch(/^http:\/\//);
    const outcome = await chain.submitAndCommit(op, (s) => s.nodeStake(op.publicKey, op.address, ['0001'], '20000000000', new URL(url))).then(
      async (tx) => ({ committed: { code: tx.code, serviceUrl: (await nodeState(rawRpc, network.node(1).rpcUrl, op.address, tx.height))?.service_url } }),
      (err: unknown) => {
        if (!(err instanceof TxRejected)) throw err;
        return { refusedByPocketJs: { code: err.code, message: err.message }, sentToNode: recorder.exchanges.some((e) => e.route.endsWith('/client/rawtx')) };
      },
    );
    await expectUnlessKnownDefect('PJS-NODESTAKE-HTTP-URL', outcome, {
      correct: { committed: { code: 0, serviceUrl: url } },
      defect: { refusedByPocketJs: { code: '0', message: 'Invalid Service URL' }, sentToNode: false },
    }, network);
  });

  test('getSupportedChains returns the chains pocket-core reports', async ({ network, chain, rawRpc, sdk }) => {
    const chains = [...network.genesis.app_state.pocketcore.params.supported_blockchains].sort();
    // The route answers a JSON string that holds the array.
    const raw = await rawRpc.post(network.node(1).rpcUrl, '/v1/query/supportedchains', { height: 0 });
    expect(raw.status).toBe(200);
    expect(typeof raw.data === 'string' ? [...JSON.parse(raw.data)].sort() : raw.data, 'what pocket-core reports').toEqual(chains);
    const res = ok(sdk, await chain.rpc.query.getSupportedChains(BigInt(0)), 'getSupportedChains');
    await expectUnlessKnownDefect('PJS-SUPPORTEDCHAINS-EMPTY', [...res.supportedChains].sort(), { correct: chains, defect: [] }, network);
  });

  test('getNodeClaims parses the claims pocket-core returns', async ({ network, chain, rawRpc, sdk }) => {
    const app = network.keys.apps[0];
    // Relays from a fresh session's first block: none straddles a boundary, so they make one claim.
    const start = await currentSession(network, rawRpc, app, '0021');
    await network.waitForHeight(start.sessionHeight + network.spec.timing.blocksPerSession);
    const session = await currentSession(network, rawRpc, app, '0021');
    const servicer = session.servicers[0];
    // A claim needs 5 relays whatever minimum_number_of_proofs says (PC-CLAIM-MIN-PROOFS, tests/relay/claim-minimum.spec.ts).
    const relays = Math.max(5, Number(network.genesis.app_state.pocketcore.params.minimum_number_of_proofs)) + 1;
    const client = randomKey(); // one client for the whole session, as an app's backend has
    for (let i = 0; i < relays; i++) expect((await postRelay(rawRpc, servicer, relayTo(session, servicer, app, '0021', { client }))).status).toBe(200);
    // Raw: pocket-js is the call under test, so the claim's arrival is read without it.
    const raw = await pollUntil(async () => {
      const res = await rawRpc.post<{ result: unknown[] | null; total_pages: number }>(servicer.rpcUrl, '/v1/query/nodeclaims', { address: servicer.address, height: 0 });
      return res.data.result?.length ? res.data : undefined;
    }, { timeoutMs: 90_000, intervalMs: 1000, what: `a claim by ${servicer.name}` });
    const res = await chain.rpc.query.getNodeClaims(servicer.address, BigInt(0));
    // pocket-js puts the exception it caught, not a string, into the RpcError's message.
    const message = (m: unknown) => (m instanceof Error ? `${m.name}: ${m.message}` : m);
    const observed = res instanceof sdk.RpcError ? { rpcError: { code: res.code, message: message(res.message) } } : { claims: res.msgClaims.length, totalPages: res.totalPages };
    await expectUnlessKnownDefect('PJS-NODECLAIMS-PARSE', observed, {
      correct: { claims: raw.result!.length, totalPages: raw.total_pages },
      // MsgClaim.fromJSON: BigInt(merkle_root.sum), a field pocket-core does not send.
      defect: { rpcError: { code: '0', message: 'TypeError: Cannot convert undefined to a BigInt' } },
    }, network);
  });
});
