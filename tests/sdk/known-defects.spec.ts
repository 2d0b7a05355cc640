/**
 * Known pocket-js defects, each stated as the correct behaviour: a fixed pocket-js turns the test
 * green, and they sit in the "Known upstream issues" category until then.
 */
import { test, expect } from '../../fixtures/pocket';
import { TxRejected } from '../../fixtures/chain';
import { KNOWN_UPSTREAM } from '../../reports/categories';
import { currentSession, postRelay, relayTo } from '../../fixtures/relay';
import { pollUntil } from '../../network/poll';
import { randomKey } from '../../network/keys';

test.describe('pocket-js known defects', { tag: ['@known-upstream'] }, () => {
  test('appUnjail builds a message the node can decode', async ({ chain, accounts }) => {
    const [app] = accounts(1);
    const outcome = await chain.submit(app, (s) => s.appUnjail(app.address)).then(() => 'accepted', (err: unknown) => (err instanceof TxRejected ? err.message : String(err)));
    expect(outcome, `${KNOWN_UPSTREAM} pocket-js appUnjail uses the nodes type URL (x.nodes.MsgUnjail)`).not.toContain('no concrete type registered for type URL x.nodes.MsgUnjail');
  });

  test('nodeStake accepts the http:// service URLs pocket-core accepts', async ({ network, chain, accounts }) => {
    const [op] = accounts(1);
    let error = '';
    try {
      chain.sender(op).nodeStake(op.publicKey, op.address, ['0001'], '20000000000', new URL('http://plain-http.pokt.local:8081'));
    } catch (err) {
      error = (err as Error).message;
    }
    // pocket-core itself stores http:// service URLs (this network's validators use them).
    expect(network.genesis.app_state.pos.validators[0].service_url.startsWith('http://')).toBe(true);
    const submitted = await chain.submit(op, (s) => s.nodeStake(op.publicKey, op.address, ['0001'], '20000000000', new URL('http://plain-http.pokt.local:8081'))).then(() => '', (err: Error) => err.message || error);
    expect(submitted, `${KNOWN_UPSTREAM} pocket-js refuses http:// service URLs ("Invalid Service URL")`).toBe('');
  });

  test('getSupportedChains returns the chains pocket-core reports', async ({ network, chain, sdk }) => {
    const res = await chain.rpc.query.getSupportedChains(BigInt(0));
    if (res instanceof sdk.RpcError) throw new Error(res.message);
    expect([...res.supportedChains].sort(), `${KNOWN_UPSTREAM} pocket-js expects a JSON array but pocket-core answers a JSON string holding one, so pocket-js returns []`).toEqual(
      [...network.genesis.app_state.pocketcore.params.supported_blockchains].sort(),
    );
  });

  test('getNodeClaims parses the claims pocket-core returns', async ({ network, chain, rawRpc, sdk }) => {
    const app = network.keys.apps[0];
    // Relays from a fresh session's first block: none straddles a boundary, so they make one claim.
    const start = await currentSession(network, rawRpc, app, '0021');
    await network.waitForHeight(start.sessionHeight + network.spec.timing.blocksPerSession);
    const session = await currentSession(network, rawRpc, app, '0021');
    const servicer = session.servicers[0];
    // A claim needs 5 relays whatever minimum_number_of_proofs says (tests/relay/claim-minimum.spec.ts).
    const relays = Math.max(5, Number(network.genesis.app_state.pocketcore.params.minimum_number_of_proofs)) + 1;
    const client = randomKey(); // one client for the whole session, as an app's backend has
    for (let i = 0; i < relays; i++) expect((await postRelay(rawRpc, servicer, relayTo(session, servicer, app, '0021', { client }))).status).toBe(200);
    // Raw: pocket-js is the call under test, so the claim's arrival is read without it.
    await pollUntil(async () => ((await rawRpc.post<{ result: unknown[] | null }>(servicer.rpcUrl, '/v1/query/nodeclaims', { address: servicer.address, height: 0 })).data.result?.length ? true : undefined),
      { timeoutMs: 90_000, intervalMs: 1000, what: `a claim by ${servicer.name}` });
    const res = await chain.rpc.query.getNodeClaims(servicer.address, BigInt(0));
    expect(res instanceof sdk.RpcError ? res.message : 'parsed', `${KNOWN_UPSTREAM} pocket-js's MsgClaim.fromJSON reads merkle_root.sum, but pocket-core sends merkle_root {merkleHash, range}, so any claim makes getNodeClaims an RpcError`).toBe('parsed');
  });
});
