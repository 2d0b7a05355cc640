/**
 * Forged relays, built byte by byte with our own implementation of the relay spec (pocket-js
 * cannot produce them). Each must be refused; a servicer that served one could claim rewards
 * for work no application asked for.
 */
import { test, expect } from '../../fixtures/pocket';
import { currentSession, ETH_CHAIN_ID, postRelay, relayTo, relayTwice } from '../../fixtures/relay';
import { deriveKey } from '../../network/keys';
import { testSeed } from '../../fixtures/seeded-random';
import { SECURITY_FINDING } from '../../reports/categories';

// The forgers' keys come from POCKET_E2E_SEED (fixtures/seeded-random.ts), so a failure replays.
const forger = (label: string) => deriveKey(testSeed(), `relay-forgery/${label}`);

test.describe('relay forgery', () => {
  const forgeries = [
    { name: 'the client signature made by another key', code: 41, forge: { proofSigner: forger('proof-signer') } },
    { name: 'an AAT signed by a key that is not the app\'s', code: 4, forge: { aatSigner: forger('aat-signer') } },
    { name: 'an AAT of an app that is not staked', code: 45, forge: { app: forger('unstaked-app') } },
  ] as const;

  for (const f of forgeries) {
    test(`a relay with ${f.name} is refused @critical`, async ({ network, rawRpc }) => {
      const app = network.keys.apps[0];
      const session = await currentSession(network, rawRpc, app, '0021');
      const answer = await postRelay(rawRpc, session.servicers[0], relayTo(session, session.servicers[0], app, '0021', f.forge));
      expect(answer.status, `${SECURITY_FINDING} forged relay (${f.name}) was served`).toBe(400);
      expect(answer.error).toMatchObject({ code: f.code, codespace: 'pocketcore' });
    });
  }

  test('a proof naming another servicer is refused by the node that receives it (code 34) @critical', async ({ network, rawRpc }) => {
    const app = network.keys.apps[0];
    const session = await currentSession(network, rawRpc, app, '0021');
    expect(session.servicers.length, 'a session of at least two servicers').toBeGreaterThan(1);
    const [named, receiver] = [session.servicers[0], session.servicers[1]];
    const answer = await postRelay(rawRpc, receiver, relayTo(session, named, app, '0021'));
    expect(answer.status, `${SECURITY_FINDING} a node served a relay whose proof names ${named.name}`).toBe(400);
    expect(answer.error).toMatchObject({ code: 34, codespace: 'pocketcore' });
  });

  test('a payload changed after signing does not match its request hash (code 74) @critical', async ({ network, rawRpc }) => {
    const app = network.keys.apps[0];
    const session = await currentSession(network, rawRpc, app, '0021');
    const relay = relayTo(session, session.servicers[0], app, '0021');
    relay.payload = { ...ETH_CHAIN_ID, data: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_accounts', params: [] }) };
    const answer = await postRelay(rawRpc, session.servicers[0], relay);
    expect(answer.status, `${SECURITY_FINDING} a tampered payload was served`).toBe(400);
    expect(answer.error).toMatchObject({ code: 74, codespace: 'pocketcore' });
  });

  test('a replayed relay is refused (code 37) @critical', async ({ network, rawRpc }) => {
    const { first, second: replay } = await relayTwice(network, rawRpc, network.keys.apps[1]);
    expect(first.status).toBe(200);
    expect(replay.status, `${SECURITY_FINDING} a replayed relay was served twice`).toBe(400);
    expect(replay.error).toMatchObject({ code: 37, codespace: 'pocketcore' });
  });
});
