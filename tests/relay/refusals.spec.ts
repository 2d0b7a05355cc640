import { test, expect } from '../../fixtures/pocket';
import { currentSession, postRelay, relayTo, relayTwice } from '../../fixtures/relay';

test.describe('relays a servicer must refuse', () => {
  test('a node outside the session refuses the app\'s relay (code 14) and hands back the session @critical', async ({ network, rawRpc }) => {
    const app = network.keys.apps[0];
    const session = await currentSession(network, rawRpc, app, '0021');
    expect(session.outsiders.length, 'the default network leaves a node outside every session').toBeGreaterThan(0);
    const outsider = session.outsiders[0];
    const answer = await postRelay(rawRpc, outsider, relayTo(session, outsider, app, '0021'));
    expect(answer.status).toBe(400);
    expect(answer.error).toMatchObject({ code: 14, codespace: 'pocketcore' });
  });

  test('a block height beyond client_block_sync_allowance, stale or future, is refused (code 75)', async ({ network, rawRpc }) => {
    const app = network.keys.apps[0];
    const session = await currentSession(network, rawRpc, app, '0021');
    const servicer = session.servicers[0];
    for (const offset of [-30, +30]) {
      const answer = await postRelay(rawRpc, servicer, relayTo(session, servicer, app, '0021', { blockHeight: session.height + offset }));
      expect(answer.error, `block height ${offset > 0 ? '+' : ''}${offset}`).toMatchObject({ code: 75 });
    }
  });

  test('a session height two sessions back or in the future is refused (code 60)', async ({ network, rawRpc }) => {
    const app = network.keys.apps[0];
    const session = await currentSession(network, rawRpc, app, '0021');
    const servicer = session.servicers[0];
    const bps = network.spec.timing.blocksPerSession;
    for (const sessionHeight of [session.sessionHeight - 2 * bps, session.sessionHeight + bps]) {
      const answer = await postRelay(rawRpc, servicer, relayTo(session, servicer, app, '0021', { sessionHeight }));
      expect(answer.error, `session height ${sessionHeight}`).toMatchObject({ code: 60 });
    }
  });

  test('a chain the node does not host is refused (code 26)', async ({ network, rawRpc }) => {
    const app = network.keys.apps[0];
    const session = await currentSession(network, rawRpc, app, '0021');
    const answer = await postRelay(rawRpc, session.servicers[0], relayTo(session, session.servicers[0], app, '0002'));
    expect(answer.error).toMatchObject({ code: 26 });
  });

  test('the same relay (same proof) twice: the second is refused as a duplicate (code 37) @critical', async ({ network, rawRpc }) => {
    const { first, second } = await relayTwice(network, rawRpc, network.keys.apps[1]);
    expect(first.status).toBe(200);
    expect(second.status).toBe(400);
    expect(second.error).toMatchObject({ code: 37 });
  });

  test('relays beyond max_relays / chains / session_node_count for one servicer are refused', async ({ network, chain, rawRpc, accounts }) => {
    const [app] = accounts(1);
    const stake = 6_000_000n; // max_relays 6 → 6 / 1 chain / 3 servicers = 2 per servicer per session
    const perServicer = Number((stake / 1_000_000n) * 100n / 100n) / 1 / network.spec.sessionNodeCount;
    expect((await chain.submitAndCommit(app, (s) => s.appStake(app.publicKey, ['0021'], stake.toString()))).code).toBe(0);
    // The stake counts for sessions that start after it.
    await chain.waitForHeight((await chain.height()) + network.spec.timing.blocksPerSession);
    const bps = network.spec.timing.blocksPerSession;
    const start = await currentSession(network, rawRpc, app, '0021');
    await network.waitForHeight(start.sessionHeight + bps);
    const session = await currentSession(network, rawRpc, app, '0021');
    const servicer = session.servicers[0];
    const answers = [];
    for (let i = 0; i < perServicer + 1; i++) answers.push(await postRelay(rawRpc, servicer, relayTo(session, servicer, app, '0021')));
    expect(answers.slice(0, perServicer).map((a) => a.status), 'relays within the allowance').toEqual(Array(perServicer).fill(200));
    const over = answers[perServicer];
    expect(over.status, 'the relay over the allowance').toBe(400);
    expect(over.error?.codespace).toBe('pocketcore');
    expect(over.error?.message).toMatch(/max|over|exceed/i);
  });
});
