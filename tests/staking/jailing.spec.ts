/**
 * Downtime jailing on a private network: a validator that stops signing is jailed after the
 * signed-blocks window, leaves sessions, cannot unjail before downtime_jail_duration and can after.
 */
import { chainOn, test, expect } from '../../fixtures/pocket';
import { nodeState } from '../../fixtures/staking';
import { currentSession } from '../../fixtures/relay';
import { pollUntil } from '../../network/poll';

test('a validator that stops signing is jailed, leaves sessions, and may unjail only after the jail duration @critical', async ({ startNetwork, sdk, recorder, rawRpc }) => {
  test.setTimeout(300_000);
  const net = await startNetwork((b) => b.withNodes(4).withApps(1).withAccounts(1));
  const chain = chainOn(sdk, net, recorder);
  const victim = net.node(4);
  const victimKey = net.keys.validators[3];
  const url = net.node(1).rpcUrl;

  await test.step('stop node4: it no longer signs blocks', () => victim.stop());
  const jailedAt = await test.step('node4 is jailed within the signed-blocks window', () =>
    pollUntil(async () => ((await nodeState(rawRpc, url, victim.address))?.jailed ? Date.now() : undefined), { timeoutMs: 90_000, intervalMs: 1000, what: 'node4 to be jailed' }),
  );

  await test.step('sessions no longer include node4', async () => {
    await chain.waitForHeight((await chain.height()) + net.spec.timing.blocksPerSession);
    const session = await currentSession(net, rawRpc, net.keys.apps[0], '0021');
    expect(session.servicers.map((n) => n.name)).not.toContain('node4');
    expect(session.servicers).toHaveLength(net.spec.sessionNodeCount);
  });

  await test.step('node4 comes back and catches up', async () => {
    await victim.start();
    await net.waitForHeight((await net.node(1).height()) + 1, { timeoutMs: 120_000 });
  });

  const early = await test.step('an unjail before downtime_jail_duration is refused', () => chain.submitAndCommit(victimKey, (s) => s.nodeUnjail(victim.address, victim.address)));
  expect(early.code, 'unjail while the jail time has not passed').not.toBe(0);
  expect((await nodeState(rawRpc, url, victim.address))?.jailed).toBe(true);

  const jailMs = net.spec.timing.downtimeJailSeconds * 1000;
  await test.step(`after downtime_jail_duration (${net.spec.timing.downtimeJailSeconds}s) the unjail is accepted`, async () => {
    const tx = await pollUntil(async () => {
      if (Date.now() < jailedAt + jailMs) return undefined;
      const attempt = await chain.submitAndCommit(victimKey, (s) => s.nodeUnjail(victim.address, victim.address));
      return attempt.code === 0 ? attempt : undefined;
    }, { timeoutMs: jailMs + 60_000, intervalMs: 2000, what: 'an accepted unjail' });
    expect(tx.code).toBe(0);
    await pollUntil(async () => ((await nodeState(rawRpc, url, victim.address))?.jailed === false ? true : undefined), { timeoutMs: 30_000, what: 'node4 unjailed' });
  });
});
