/**
 * Mid-session changes, issue #16 family 5 (service URL part).
 *
 * A session is dealt from the state at its session height (pocket-core RC-0.12.0 x/pocketcore
 * keeper/session.go: the session context is the block at session_height), so a servicer that
 * edits its stake mid-session keeps the service URL it had in every session that started before
 * the edit, and dispatch hands out the new URL from the first session that starts after it.
 */
import { chainOn, test, expect } from '../../fixtures/pocket';
import { nodeState } from '../../fixtures/staking';
import { txResult } from '../../fixtures/tx-result';
import { sessionHeightAt } from '../../network/relay-crypto';
import type { RawRpc } from '../../fixtures/rpc-client';
import type { StartedPocketNetwork } from '../../network/started-network';

interface Dispatch { session: { header: { session_height: number }; nodes: Array<{ address: string; service_url: string }> } }

async function serviceUrlInSession(net: StartedPocketNetwork, rpc: RawRpc, sessionHeight: number, address: string): Promise<string> {
  const res = await rpc.post<Dispatch>(net.node(1).rpcUrl, '/v1/client/dispatch', { app_public_key: net.keys.apps[0].publicKey, chain: '0021', session_height: sessionHeight });
  expect(res.status, `dispatch of session ${sessionHeight}: ${JSON.stringify(res.data).slice(0, 200)}`).toBe(200);
  expect(res.data.session.header.session_height).toBe(sessionHeight);
  const member = res.data.session.nodes.find((n) => n.address.toLowerCase() === address.toLowerCase());
  expect(member, `${address} in session ${sessionHeight} (every node is dealt: session_node_count = 4)`).toBeDefined();
  return member!.service_url;
}

test.describe('mid-session changes', () => {
  test('a servicer that changes its service URL mid-session keeps the old URL in the session under way; dispatch gives the new one from the next session', async ({ startNetwork, sdk, recorder, rawRpc }) => {
    test.setTimeout(180_000);
    const net = await startNetwork((b) => b.withNodes(4).withSessionNodeCount(4).withApps(1).withAccounts(1));
    const chain = chainOn(sdk, net, recorder);
    const url = net.node(1).rpcUrl;
    const node = net.node(4);
    const perSession = net.spec.timing.blocksPerSession;
    const NEW_URL = 'https://node4-moved.pokt.local:443';
    const current = (await nodeState(rawRpc, url, node.address))!;
    expect(current.service_url).not.toBe(NEW_URL);

    const edit = await test.step(`${node.name} edits its stake: same amount and chains, service URL ${NEW_URL}`, async () => {
      const tx = await chain.submitAndCommit(node.key, (s) => s.nodeStake(node.key.publicKey, node.address, current.chains, current.tokens, new URL(NEW_URL)));
      expect(await txResult(rawRpc, url, tx.hash)).toMatchObject({ code: 0, codespace: '' });
      expect((await nodeState(rawRpc, url, node.address, tx.height - 1))!.service_url).toBe(current.service_url);
      expect((await nodeState(rawRpc, url, node.address, tx.height))!.service_url).toBe(NEW_URL);
      return tx;
    });

    // The session that starts exactly at the edit's block is left out: which side of the edit its
    // state is on is not what this test is about.
    const before = sessionHeightAt(edit.height - 1, perSession);
    const after = sessionHeightAt(edit.height, perSession) + perSession;

    await test.step(`session ${before} (started before the edit at ${edit.height}) still lists the old URL`, async () => {
      expect(await serviceUrlInSession(net, rawRpc, before, node.address)).toBe(current.service_url);
    });

    await test.step(`session ${after} (the first that starts after the edit) lists the new URL`, async () => {
      await chain.waitForHeight(after);
      expect(await serviceUrlInSession(net, rawRpc, after, node.address)).toBe(NEW_URL);
    });
  });
});
