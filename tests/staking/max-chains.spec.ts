/**
 * MaximumChains and the MAXCH feature (EnforceMaxChains), RC-0.12.0:
 *  - at stake time the limit is checked whatever the feature: a node stake or edit for more chains
 *    than pos/MaximumChains is refused, pos code 120 (x/nodes/keeper/valStateChanges.go
 *    ValidateValidatorStaking → ErrTooManyChains); likewise an app stake over
 *    application/MaximumChains, application code 118 (x/apps/keeper/appStateChanges.go);
 *  - a node that is already staked for more chains than a later, lower limit keeps its stake and
 *    all its chains (nothing is truncated), but with MAXCH on it is left out of every session
 *    (x/pocketcore/types/session.go NewSessionNodes: the limit of the session's start block);
 *  - an app staked for more chains than a lower application/MaximumChains has its relays refused,
 *    pocketcore code 91 (x/pocketcore/types/service.go Relay.Validate → ChainsOverLimitError).
 * The limits are lowered by DAO change_param on a private network (other suites need 2 chains).
 */
import { test, expect, chainOn } from '../../fixtures/pocket';
import { Governance } from '../../fixtures/governance';
import { stakeFields, withNodeStake } from '../../fixtures/node-messages';
import { outcome, relayInLatestSession } from '../../fixtures/session-rollover';
import { describeSessions, sessionsOfNextSessions } from '../../fixtures/session-membership';
import { nodeState, STAKED } from '../../fixtures/staking';
import { txResult } from '../../fixtures/tx-result';
import { sessionHeightAt } from '../../network/relay-crypto';

test.describe('maximum chains (MAXCH)', () => {
  test('a node staked for more chains than a lowered pos/MaximumChains keeps its stake but is left out of every session; new stakes over it are refused (pos 120) @critical', { tag: '@nightly' }, async ({ startNetwork, sdk, recorder, rawRpc }) => {
    test.setTimeout(420_000);
    const net = await startNetwork((b) => b.withAccounts(4));
    expect(net.features.MAXCH, 'the network runs MAXCH').toBeGreaterThan(0);
    const chain = chainOn(sdk, net, recorder);
    const gov = new Governance(chain);
    const url = net.node(1).rpcUrl;
    const wide = net.node(4);
    const others = net.nodes.filter((n) => n !== wide).map((n) => n.address).sort();
    const threeChains = ['0001', '0021', '0002'];

    const edit = await test.step(`${wide.name} edits its stake to three chains (limit 15)`, async () => {
      const current = (await nodeState(rawRpc, url, wide.address))!;
      const tx = await chain.submitAndCommit(wide.key, withNodeStake(chain, stakeFields(wide.key, { chains: threeChains, amount: BigInt(current.tokens), serviceUrl: current.service_url })));
      expect(tx.code, tx.log).toBe(0);
      expect(await nodeState(rawRpc, url, wide.address, tx.height)).toMatchObject({ status: STAKED, chains: threeChains, jailed: false });
      return tx;
    });

    await test.step(`with the limit at 15, ${wide.name} is dealt session seats like the others`, async () => {
      const views = await sessionsOfNextSessions(net, chain, edit.height, 3);
      expect(views.flatMap((v) => v.members), describeSessions(views)).toContain(wide.address);
    });

    const lowered = await gov.changeParam(net.keys.daoOwner, 'pos/MaximumChains', JSON.stringify('2'));
    expect(lowered.code, lowered.log).toBe(0);

    await test.step(`${wide.name} is still staked for all three chains: the lower limit truncates nothing`, async () => {
      expect(await nodeState(rawRpc, url, wide.address, lowered.height)).toMatchObject({ status: STAKED, chains: threeChains, jailed: false });
    });

    await test.step(`every session that starts after the change has exactly the three two-chain nodes, never ${wide.name}`, async () => {
      const views = await sessionsOfNextSessions(net, chain, lowered.height + 1, 3);
      for (const v of views) expect(v.members.slice().sort(), describeSessions([v])).toEqual(others);
    });

    await test.step('a node stake edit for three chains is now refused, pos code 120, and changes nothing', async () => {
      const n3 = net.node(3);
      const current = (await nodeState(rawRpc, url, n3.address))!;
      const tx = await chain.submitAndCommit(n3.key, withNodeStake(chain, stakeFields(n3.key, { chains: threeChains, amount: BigInt(current.tokens), serviceUrl: current.service_url })));
      expect(await txResult(rawRpc, url, tx.hash)).toMatchObject({ code: 120, codespace: 'pos', messageType: 'stake_validator' });
      expect((await nodeState(rawRpc, url, n3.address, tx.height))?.chains).toEqual(current.chains);
    });
  });

  test('an app staked for more chains than a lowered application/MaximumChains has its relays refused (pocketcore 91); a new app stake over it is refused (application 118)', async ({ startNetwork, sdk, recorder, rawRpc }) => {
    test.setTimeout(300_000);
    const net = await startNetwork((b) => b.withAccounts(2));
    const chain = chainOn(sdk, net, recorder);
    const gov = new Governance(chain);
    const app = net.keys.apps[0];
    const bps = net.spec.timing.blocksPerSession;

    await test.step('with the limit at 15 the two-chain app is served', async () => {
      expect(outcome(await relayInLatestSession(net, rawRpc, app))).toEqual({ status: 200, result: '0x7a69' });
    });

    const lowered = await gov.changeParam(net.keys.daoOwner, 'application/MaximumChains', JSON.stringify('1'));
    expect(lowered.code, lowered.log).toBe(0);
    // The relay check reads the limit at the session's start block: wait for a session after the change.
    await chain.waitForHeight(sessionHeightAt(lowered.height + 1, bps) + bps);

    const refused = await relayInLatestSession(net, rawRpc, app);
    expect(refused.sessionHeight).toBeGreaterThan(lowered.height);
    expect(outcome(refused)).toEqual({ status: 400, error: { code: 91, codespace: 'pocketcore', message: 'the number of staked chains is over the limit: got 2, max 1' } });

    const [newcomer] = net.keys.accounts;
    const overStake = await chain.submitAndCommit(newcomer, (s) => s.appStake(newcomer.publicKey, ['0001', '0021'], '5000000000'));
    expect(await txResult(rawRpc, net.node(1).rpcUrl, overStake.hash)).toMatchObject({ code: 118, codespace: 'application', messageType: 'app_stake' });
  });
});
