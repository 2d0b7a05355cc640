/**
 * Forced paths, issue #16 family 3 (the genesis part).
 *
 * A genesis may hold a staked validator that is jailed (an exported chain does whenever one was).
 * pocket-core RC-0.12.0 x/nodes/genesis.go InitGenesis stores it as given and, when it has no
 * signing info, writes one with jailed_until = Unix(0); tendermint's first validator set comes from
 * UpdateTendermintValidators, which only counts staked validators that are not jailed. So the chain
 * boots on the others, the jailed one is in no session (x/nodes keeper: sessions deal staked,
 * unjailed nodes) and, its jailed_until long past, one unjail signed by its key is accepted
 * (ValidateUnjailMessage) and it votes again from the blocks after.
 */
import { chainOn, test, expect } from '../../fixtures/pocket';
import { currentSession } from '../../fixtures/relay';
import { nodeState, STAKED } from '../../fixtures/staking';
import { pollUntil } from '../../network/poll';
import type { RawRpc } from '../../fixtures/rpc-client';

interface BlockCommit { block: { header: { height: string }; last_commit: { precommits: Array<{ validator_address: string } | null> } } }

/** The validators whose precommit for block h-1 is in block h, as lower-case addresses. */
async function signersIn(rpc: RawRpc, url: string, height: number): Promise<string[]> {
  const res = await rpc.post<BlockCommit>(url, '/v1/query/block', { height });
  if (res.status !== 200) throw new Error(`block ${height}: HTTP ${res.status}`);
  return res.data.block.last_commit.precommits.filter((p): p is { validator_address: string } => p !== null).map((p) => p.validator_address.toLowerCase());
}

test.describe('forced paths', () => {
  test('a genesis holding a jailed validator boots without it; it is in no session, shows jailed, and one unjail from its key brings it back as a signer @critical', async ({ startNetwork, sdk, recorder, rawRpc }) => {
    test.setTimeout(240_000);
    const net = await startNetwork((b) => b.withNodes(4).withApps(1).withAccounts(1).withJailedAtGenesis(4));
    const chain = chainOn(sdk, net, recorder);
    const url = net.node(1).rpcUrl;
    const jailedNode = net.node(4);
    const others = [1, 2, 3].map((i) => net.node(i).address.toLowerCase());

    await test.step('node4 is staked, jailed, with its genesis tokens; the other three are not jailed', async () => {
      const h = await chain.height();
      const state = await nodeState(rawRpc, url, jailedNode.address, h);
      expect(state, `node4 at height ${h}`).toMatchObject({ jailed: true, status: STAKED, tokens: expect.any(String) });
      expect(state!.tokens).toBe((await nodeState(rawRpc, url, net.node(1).address, h))!.tokens);
      for (const i of [1, 2, 3]) expect((await nodeState(rawRpc, url, net.node(i).address, h))?.jailed, `node${i}`).toBe(false);
      const info = await rawRpc.post<{ result: Array<{ address: string; jailed_until: string }> }>(url, '/v1/query/signinginfo', { height: h, address: jailedNode.address });
      expect(info.status).toBe(200);
      expect(Date.parse(info.data.result[0].jailed_until), 'genesis signing info: jailed_until = Unix(0)').toBe(0);
    });

    await test.step('blocks are signed by exactly the three unjailed validators, while node4 follows the chain', async () => {
      const h = await chain.height();
      for (const height of [h - 1, h]) expect((await signersIn(rawRpc, url, height)).sort(), `precommits in block ${height}`).toEqual([...others].sort());
      await pollUntil(async () => ((await jailedNode.height()) >= h ? true : undefined), { timeoutMs: 30_000, intervalMs: 500, what: `node4 at height ${h}` });
    });

    await test.step('the session has exactly the three unjailed servicers', async () => {
      const session = await currentSession(net, rawRpc, net.keys.apps[0], '0021');
      expect(session.servicers.map((n) => n.name).sort()).toEqual(['node1', 'node2', 'node3']);
    });

    const unjailHeight = await test.step('node4 unjails with its own key: accepted (code 0), not jailed from that block', async () => {
      const tx = await chain.submitAndCommit(net.keys.validators[3], (s) => s.nodeUnjail(jailedNode.address, jailedNode.address));
      const result = (await rawRpc.post<{ tx_result: { code: number; log: string } }>(url, '/v1/query/tx', { hash: tx.hash })).data.tx_result;
      expect(result.code, result.log).toBe(0);
      expect((await nodeState(rawRpc, url, jailedNode.address, tx.height - 1))?.jailed, 'jailed in the block before the unjail').toBe(true);
      expect((await nodeState(rawRpc, url, jailedNode.address, tx.height))?.jailed, 'unjailed in the block of the unjail').toBe(false);
      return tx.height;
    });

    await test.step('node4 signs again: a later block carries all four precommits', async () => {
      const all = [...others, jailedNode.address.toLowerCase()].sort();
      const signedAt = await pollUntil(async () => {
        const h = await chain.height();
        return (await signersIn(rawRpc, url, h)).sort().join() === all.join() ? h : undefined;
      }, { timeoutMs: 30_000, intervalMs: 500, what: 'a block with node4\'s precommit' });
      expect(signedAt).toBeGreaterThan(unjailHeight);
    });
  });
});
