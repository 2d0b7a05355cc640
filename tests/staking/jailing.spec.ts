/**
 * Downtime jailing on a private network: a validator that stops signing is jailed after the
 * signed-blocks window, leaves sessions, cannot unjail before downtime_jail_duration and can after.
 *
 * RC-0.12.0 (x/nodes/keeper/slash.go handleValidatorSignature) jails in the block whose missed
 * count passes signed_blocks_window − min_signed_per_window and sets the signing info's
 * jailed_until = that block's time + downtime_jail_duration. An unjail
 * (x/nodes/keeper/valStateChanges.go ValidateUnjailMessage) is refused with ErrValidatorJailed
 * (codespace pos, code 104) while the delivering block's time (or the node's clock) is before
 * jailed_until, and accepted from then on.
 */
import { chainOn, test, expect } from '../../fixtures/pocket';
import { nodeState } from '../../fixtures/staking';
import { currentSession } from '../../fixtures/relay';
import { pollUntil } from '../../network/poll';
import { nanos } from '../../fixtures/chain-time';


test('a validator that stops signing is jailed, leaves sessions, and may unjail only after the jail duration @critical', { tag: '@nightly' }, async ({ startNetwork, sdk, recorder, rawRpc }) => {
  test.setTimeout(300_000);
  const net = await startNetwork((b) => b.withNodes(4).withApps(1).withAccounts(1));
  const chain = chainOn(sdk, net, recorder);
  const victim = net.node(4);
  const victimKey = net.keys.validators[3];
  const url = net.node(1).rpcUrl;
  const blockTime = async (height: number) => nanos((await rawRpc.post<{ block: { header: { time: string } } }>(url, '/v1/query/block', { height })).data.block.header.time);
  const txResult = async (hash: string) => (await rawRpc.post<{ tx_result: { code: number; codespace: string; log: string } }>(url, '/v1/query/tx', { hash })).data.tx_result;

  await test.step('stop node4: it no longer signs blocks', () => victim.stop());
  const seenJailedAt = await test.step('node4 is jailed within the signed-blocks window', () =>
    pollUntil(async () => {
      const h = await chain.height();
      return (await nodeState(rawRpc, url, victim.address, h))?.jailed ? h : undefined;
    }, { timeoutMs: 90_000, intervalMs: 1000, what: 'node4 to be jailed' }),
  );

  const jailedUntil = await test.step('jailed_until = the jailing block\'s time + downtime_jail_duration', async () => {
    let jailHeight = seenJailedAt;
    while ((await nodeState(rawRpc, url, victim.address, jailHeight - 1))?.jailed) jailHeight--;
    const info = await rawRpc.post<{ result: Array<{ address: string; jailed_until: string }> }>(url, '/v1/query/signinginfo', { height: jailHeight, address: victim.address });
    const duration = (await rawRpc.post<{ param_value: string }>(url, '/v1/query/param', { height: jailHeight, key: 'pos/DowntimeJailDuration' })).data.param_value;
    const until = nanos(info.data.result[0].jailed_until);
    expect(until, `jailed at height ${jailHeight}`).toBe((await blockTime(jailHeight)) + BigInt(duration.replace(/"/g, '')));
    expect(BigInt(duration.replace(/"/g, ''))).toBe(BigInt(net.spec.timing.downtimeJailSeconds) * 1_000_000_000n);
    return until;
  });

  await test.step('an unjail delivered before jailed_until is refused as "validator jailed" (pos 104)', async () => {
    const early = await chain.submitAndCommit(victimKey, (s) => s.nodeUnjail(victim.address, victim.address));
    expect(await blockTime(early.height), 'the attempt was delivered in a block before jailed_until').toBeLessThan(jailedUntil);
    const result = await txResult(early.hash);
    expect({ codespace: result.codespace, code: result.code }, result.log).toEqual({ codespace: 'pos', code: 104 });
    expect((await nodeState(rawRpc, url, victim.address, early.height))?.jailed).toBe(true);
  });

  await test.step('sessions no longer include node4', async () => {
    await chain.waitForHeight((await chain.height()) + net.spec.timing.blocksPerSession);
    const session = await currentSession(net, rawRpc, net.keys.apps[0], '0021');
    expect(session.servicers.map((n) => n.name)).not.toContain('node4');
    expect(session.servicers).toHaveLength(net.spec.sessionNodeCount);
  });

  await test.step('node4 comes back and catches up', async () => {
    await victim.start();
    await pollUntil(async () => ((await victim.height()) >= (await net.node(1).height()) - 1 ? true : undefined), { timeoutMs: 120_000, intervalMs: 1000, what: 'node4 caught up with node1' });
  });

  await test.step(`once a committed block's time reaches jailed_until, one unjail is accepted at the first attempt`, async () => {
    const jailMs = net.spec.timing.downtimeJailSeconds * 1000;
    await pollUntil(async () => ((await blockTime(await chain.height())) >= jailedUntil ? true : undefined), { timeoutMs: jailMs + 60_000, intervalMs: 500, what: 'a block at or after jailed_until' });
    const tx = await chain.submitAndCommit(victimKey, (s) => s.nodeUnjail(victim.address, victim.address));
    const result = await txResult(tx.hash);
    expect(result.code, `the unjail at the first attempt after jailed_until: ${result.log}`).toBe(0);
    expect(await blockTime(tx.height)).toBeGreaterThanOrEqual(jailedUntil);
    expect((await nodeState(rawRpc, url, victim.address, tx.height))?.jailed, 'unjailed in the block of the accepted unjail').toBe(false);
  });
});
