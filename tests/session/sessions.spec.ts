import { test, expect } from '../../fixtures/pocket';
import { sessionHeightAt } from '../../network/relay-crypto';
import { keyFromSecret } from '../../network/keys';
import { buildRelay } from '../../network/relay-crypto';
import { currentSession, ETH_CHAIN_ID, postRelay } from '../../fixtures/relay';
import { pollUntil } from '../../network/poll';
import { seededRandom } from '../../fixtures/seeded-random';

type Dispatch = { session: { header: { session_height: number }; nodes: Array<{ address: string }> } };

async function dispatch(rawRpc: { post: <T>(u: string, r: string, b: unknown) => Promise<{ status: number; data: T }> }, url: string, appPub: string, chain: string, sessionHeight: number) {
  return rawRpc.post<Dispatch & { code?: number; message?: string }>(url, '/v1/client/dispatch', { app_public_key: appPub, chain, session_height: sessionHeight });
}

test.describe('sessions', () => {
  test('every node computes the same session for the same app, chain and height @critical', async ({ network, rawRpc }) => {
    const app = network.keys.apps[0];
    // Dispatch answers the node's latest session: read all four within one session (a boundary
    // between two answers is retried; a disagreement within one session is the failure).
    const answers = await pollUntil(async () => {
      const all = await Promise.all(network.nodes.map((n) => dispatch(rawRpc, n.rpcUrl, app.publicKey, '0021', 0)));
      for (const a of all) expect(a.status, JSON.stringify(a.data)).toBe(200);
      return new Set(all.map((a) => a.data.session.header.session_height)).size === 1 ? all : undefined;
    }, { timeoutMs: 30_000, intervalMs: 200, what: 'every node\'s dispatch answer within one session' });
    const sessions = answers.map((a) => a.data.session.nodes.map((x) => x.address).sort());
    for (const [i, s] of sessions.entries()) expect(s, `node${i + 1}'s session at height ${answers[i].data.session.header.session_height}`).toEqual(sessions[0]);
    expect(sessions[0]).toHaveLength(network.spec.sessionNodeCount);
    expect(new Set(sessions[0]).size, 'distinct servicers').toBe(network.spec.sessionNodeCount);
  });

  test('a session is fixed within its blocks and the next one starts blocks_per_session later', async ({ network, chain, rawRpc }) => {
    const app = network.keys.apps[1];
    const bps = network.spec.timing.blocksPerSession;
    const h = await chain.height();
    const sh = sessionHeightAt(h, bps);
    const first = await dispatch(rawRpc, network.node(1).rpcUrl, app.publicKey, '0001', sh);
    expect(first.data.session.header.session_height).toBe(sh);
    await chain.waitForHeight(sh + bps - 1);
    const later = await dispatch(rawRpc, network.node(2).rpcUrl, app.publicKey, '0001', sh);
    expect(later.data.session.nodes.map((n) => n.address).sort(), 'same session later in its blocks').toEqual(first.data.session.nodes.map((n) => n.address).sort());
    await chain.waitForHeight(sh + bps);
    const next = await dispatch(rawRpc, network.node(1).rpcUrl, app.publicKey, '0001', sh + bps);
    expect(next.data.session.header.session_height).toBe(sh + bps);
    expect(next.data.session.nodes).toHaveLength(network.spec.sessionNodeCount);
  });

  test('a chain with fewer eligible nodes than session_node_count gets the insufficient-nodes error (code 17)', async ({ network, rawRpc }) => {
    const res = await dispatch(rawRpc, network.node(1).rpcUrl, network.keys.apps[0].publicKey, '00FF', 1);
    expect(res.status).toBe(400);
    expect(res.data.message).toContain('Code: 17');
    expect(res.data.message).toContain('there are less than the minimum session nodes found');
  });

  // pocket-core's dispatch does not look the app up: any public key gets a session. What keeps an
  // unstaked app from being served is the relay check, so that is what this test holds to.
  test('an app that is not staked is dispatched a session, but every servicer in it refuses its relays (code 45)', async ({ network, rawRpc }, testInfo) => {
    const random = await seededRandom(testInfo);
    const stranger = keyFromSecret(random.bytes(32));
    // A session whose every member is a node the network runs (other tests stake nodes with no process).
    const session = await currentSession(network, rawRpc, stranger, '0021');
    expect(session.servicers, 'the unstaked app was dealt a full session').toHaveLength(network.spec.sessionNodeCount);
    for (const servicer of session.servicers) {
      const relay = buildRelay({ app: stranger, client: keyFromSecret(random.bytes(32)), servicerPublicKey: servicer.key.publicKey, chain: '0021', sessionHeight: session.sessionHeight, blockHeight: session.height, payload: ETH_CHAIN_ID, entropy: random.int(Number.MAX_SAFE_INTEGER) });
      const answer = await postRelay(rawRpc, servicer, relay);
      expect(answer.status, servicer.name).toBe(400);
      expect(answer.error, servicer.name).toMatchObject({ code: 45, codespace: 'pocketcore' });
    }
  });
});
