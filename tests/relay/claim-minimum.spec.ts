/**
 * minimum_number_of_proofs: the fewest relays of a session a servicer may claim. The param says 3
 * on these networks; a session served that many times must become a claim.
 */
import { test, expect } from '../../fixtures/pocket';
import { currentSession, postRelay, relayTo } from '../../fixtures/relay';
import { randomKey } from '../../network/keys';
import { pollUntil } from '../../network/poll';
import { expectUnlessKnownDefect } from '../../fixtures/known-defect';

test('a session with exactly minimum_number_of_proofs relays becomes a claim', async ({ network, rawRpc }) => {
  const app = network.keys.apps[1];
  const minProofs = Number(network.genesis.app_state.pocketcore.params.minimum_number_of_proofs);
  const start = await currentSession(network, rawRpc, app, '0001');
  await network.waitForHeight(start.sessionHeight + network.spec.timing.blocksPerSession);
  const session = await currentSession(network, rawRpc, app, '0001');
  const servicer = session.servicers[0];
  const client = randomKey();
  for (let i = 0; i < minProofs; i++) expect((await postRelay(rawRpc, servicer, relayTo(session, servicer, app, '0001', { client }))).status).toBe(200);
  const logFrom = servicer.logs.read().length;

  // The servicer either claims, or logs why its claim transaction failed; whichever comes first.
  const outcome = await pollUntil(async () => {
    const claims = (await rawRpc.post<{ result: Array<{ header: { app_public_key: string; session_height: number } }> | null }>(servicer.rpcUrl, '/v1/query/nodeclaims', { address: servicer.address, height: 0 })).data.result ?? [];
    if (claims.some((c) => c.header.app_public_key === app.publicKey && c.header.session_height === session.sessionHeight)) return 'claimed';
    const refusal = servicer.logs.read().slice(logFrom).match(/an error occured executing the claim transaciton:\s*\n?.*?Message: "([^"]+)"/s)?.[1];
    return refusal ? `claim refused: ${refusal}` : undefined;
  }, { timeoutMs: 90_000, intervalMs: 1000, what: `${servicer.name}'s claim for ${minProofs} relays` });
  expect(minProofs, 'the defect shows only below 5 proofs: this network must claim fewer').toBeLessThan(5);
  await expectUnlessKnownDefect('PC-CLAIM-MIN-PROOFS', outcome, { correct: 'claimed', defect: 'claim refused: the service proofs object is empty' }, network);
});
