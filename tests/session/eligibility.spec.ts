/**
 * Session eligibility: only staked, unjailed servicers are dealt into sessions.
 *
 * pocket-core builds a session from the nodes staked for the chain at the session's first block
 * and drops any that are jailed (or gone) in the state the dispatch is answered from
 * (x/pocketcore/types/session.go, NewSessionNodes). A node that begins unstaking leaves the
 * by-chain set at the end of the session its unstake was sent in (x/nodes ReleaseWaitingValidators
 * → BeginUnstakingValidator), so every session that starts after that is without it. A jailed node
 * stays in the by-chain set but is skipped as jailed, from the moment it is jailed.
 *
 * Each test runs on a private network of 5 validators with sessions of 3, so 4 eligible nodes
 * remain once one leaves, and one stopped validator leaves quorum intact (4/5 > 2/3).
 */
import { test, expect, chainOn, type PocketFixtures } from '../../fixtures/pocket';
import { RawRpc } from '../../fixtures/rpc-client';
import { nodeState, STAKED, UNSTAKING, waitForStatus, waitUntilGone } from '../../fixtures/staking';
import { describeSessions, sessionsOfAllApps, sessionsOfNextSessions, type SessionView } from '../../fixtures/session-membership';
import { pollUntil } from '../../network/poll';
import type { StartedPocketNetwork } from '../../network/pocket-network';
import type { PocketNode } from '../../network/pocket-node';

const NODES = 5;
const SESSION_NODE_COUNT = 3;

/** The node (other than node1, which the test talks to) seated in the most of these sessions. */
function busiestNode(net: StartedPocketNetwork, sessions: SessionView[]): PocketNode {
  const seats = (n: PocketNode) => sessions.filter((s) => s.members.includes(n.address)).length;
  return net.nodes.slice(1).reduce((best, n) => (seats(n) > seats(best) ? n : best));
}

function expectAbsent(node: PocketNode, sessions: SessionView[], why: string): void {
  const heights = [...new Set(sessions.map((s) => s.sessionHeight))];
  const withIt = sessions.filter((s) => s.members.includes(node.address));
  expect(withIt, `${node.name} (${why}) is in no session of heights ${heights.join(', ')}:\n${describeSessions(sessions)}`).toEqual([]);
  for (const s of sessions) expect(s.members, `a full session without ${node.name}`).toHaveLength(SESSION_NODE_COUNT);
}

/** The private network both tests use, and a client of its node1. */
async function fiveValidators(startNetwork: PocketFixtures['startNetwork'], sdk: PocketFixtures['sdk'], recorder: PocketFixtures['recorder']) {
  const rawRpc = new RawRpc(recorder); // not the fixture: that would boot the worker's shared network, unused here
  const net = await startNetwork((b) => b.withNodes(NODES, SESSION_NODE_COUNT).withAccounts(1));
  return { rawRpc, net, chain: chainOn(sdk, net, recorder, 1), url: net.node(1).rpcUrl };
}

test.describe('session eligibility', () => {
  test('a node that begins unstaking is in no session that starts after its unstake, nor once it is unstaked', { tag: '@nightly' }, async ({ startNetwork, sdk, recorder }) => {
    test.setTimeout(300_000);
    const { rawRpc, net, chain, url } = await fiveValidators(startNetwork, sdk, recorder);

    const before = await test.step('before: 2 apps × 2 chains are dealt their sessions', () => sessionsOfAllApps(net, chain));
    const leaving = busiestNode(net, before);
    expect(before.some((s) => s.members.includes(leaving.address)), `${leaving.name} serves at least one session before it unstakes:\n${describeSessions(before)}`).toBe(true);

    const unstake = await test.step(`${leaving.name} sends its begin-unstake (pocket-js nodeUnstake)`, () =>
      chain.submitAndCommit(leaving.key, (s) => s.nodeUnstake(leaving.address, leaving.address)),
    );
    expect(unstake.code, unstake.log).toBe(0);

    await test.step('it is unstaking once its session ends', () =>
      waitForStatus(() => nodeState(rawRpc, url, leaving.address), UNSTAKING, `${leaving.name} to be unstaking`, 60_000),
    );
    const unstakingAt = await chain.height();
    expect(await nodeState(rawRpc, url, leaving.address)).toMatchObject({ status: UNSTAKING, jailed: false });

    const whileUnstaking = await test.step('the next 3 session heights: every app on every chain is served without it', () =>
      sessionsOfNextSessions(net, chain, unstakingAt, 3),
    );
    expect(new Set(whileUnstaking.map((s) => s.sessionHeight)).size, 'three distinct session heights').toBe(3);
    expect(Math.min(...whileUnstaking.map((s) => s.sessionHeight))).toBeGreaterThan(unstakingAt);
    expectAbsent(leaving, whileUnstaking, 'unstaking');

    await test.step('it finishes unstaking after unstaking_time: the node query no longer finds it', () =>
      waitUntilGone(() => nodeState(rawRpc, url, leaving.address), `${leaving.name} to finish unstaking`, 120_000),
    );
    const unstakedAt = await chain.height();
    const afterUnstaked = await test.step('the next 2 session heights are still served without it', () => sessionsOfNextSessions(net, chain, unstakedAt, 2));
    expectAbsent(leaving, afterUnstaked, 'unstaked');
  });

  test('a validator jailed for downtime leaves the sessions at once, while it stays staked', async ({ startNetwork, sdk, recorder }) => {
    test.setTimeout(300_000);
    const { rawRpc, net, chain, url } = await fiveValidators(startNetwork, sdk, recorder);
    const pos = net.genesis.app_state.pos.params;

    const before = await test.step('before: 2 apps × 2 chains are dealt their sessions', () => sessionsOfAllApps(net, chain));
    const offline = busiestNode(net, before);
    expect(before.some((s) => s.members.includes(offline.address)), `${offline.name} serves at least one session before it goes down:\n${describeSessions(before)}`).toBe(true);
    expect(await nodeState(rawRpc, url, offline.address)).toMatchObject({ status: STAKED, jailed: false });

    await test.step(`${offline.name} stops, so it signs no blocks`, () => offline.stop());
    const stoppedAt = await chain.height();

    // Missing more than signed_blocks_window × (1 − min_signed_per_window) blocks of one window jails it.
    const window = Number(pos.signed_blocks_window);
    const jailed = await test.step(`it is jailed once it misses more than ${window} × (1 − ${Number(pos.min_signed_per_window)}) blocks of a window`, () =>
      pollUntil(async () => {
        const node = await nodeState(rawRpc, url, offline.address);
        return node?.jailed ? node : undefined;
      }, { timeoutMs: 150_000, intervalMs: 1000, what: `${offline.name} to be jailed for downtime` }),
    );
    const jailedAt = await chain.height();
    expect(jailed, 'jailed, but still staked (jail is not unstake)').toMatchObject({ status: STAKED, jailed: true });
    expect(jailedAt - stoppedAt, `jailed within three sign windows of stopping (stopped at ${stoppedAt}, jailed by ${jailedAt})`).toBeLessThanOrEqual(3 * window);

    const current = await test.step('the session being served right now no longer seats it', () => sessionsOfAllApps(net, chain));
    expectAbsent(offline, current, 'jailed');
    const later = await test.step('nor do the next 2 session heights', () => sessionsOfNextSessions(net, chain, current[0].sessionHeight, 2));
    expectAbsent(offline, later, 'jailed');
    expect((await nodeState(rawRpc, url, offline.address))?.jailed, 'still jailed while the sessions were read').toBe(true);
  });
});
