import { test, expect } from '../../fixtures/pocket';
import { currentSession, postRelay, relayTo } from '../../fixtures/relay';

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
    const app = network.keys.apps[1];
    const session = await currentSession(network, rawRpc, app, '0021');
    const relay = relayTo(session, session.servicers[0], app, '0021');
    expect((await postRelay(rawRpc, session.servicers[0], relay)).status).toBe(200);
    const again = await postRelay(rawRpc, session.servicers[0], relay);
    expect(again.status).toBe(400);
    expect(again.error).toMatchObject({ code: 37 });
  });
});
