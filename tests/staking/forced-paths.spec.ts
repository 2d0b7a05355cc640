/**
 * Forced paths, issue #16 family 3 (and family 2's max_jailed_blocks).
 *
 * 1. Slashed below the minimum. pocket-core RC-0.12.0 x/nodes/keeper/slash.go: once a downtime
 *    slash leaves a validator's tokens under pos/StakeMinimum, ForceValidatorUnstake jails it and
 *    queues it as waiting to begin unstaking. UpdateTendermintValidators (EndBlocker) releases the
 *    queue only at heights where height % BlocksPerSession == 0: status unstaking, unstaking_time =
 *    that block's time + pos/UnstakingTime. An edit stake meanwhile meets ValidateValidatorStaking:
 *    a known validator that is not staked is refused with ErrValidatorStatus (pos 110).
 *    unstakeAllMatureValidators (same EndBlocker) finishes it in the first block whose time reaches
 *    unstaking_time and sends what is left of the stake to the output address.
 *
 * 2. Jailed past max_jailed_blocks (family 2's last cap). x/nodes/keeper EndBlocker runs
 *    IncrementJailedValidators before UpdateTendermintValidators: the counter of a validator
 *    jailed at block J reaches J's count 1 in J, so J + max_jailed_blocks is the first block past
 *    the limit, where ForceValidatorUnstake queues it like (1); its whole remaining stake returns.
 *
 * 3. A genesis holding a jailed validator.
 *    A genesis may hold a staked validator that is jailed (an exported chain does whenever one was).
 * pocket-core RC-0.12.0 x/nodes/genesis.go InitGenesis stores it as given and, when it has no
 * signing info, writes one with jailed_until = Unix(0); tendermint's first validator set comes from
 * UpdateTendermintValidators, which only counts staked validators that are not jailed. So the chain
 * boots on the others, the jailed one is in no session (x/nodes keeper: sessions deal staked,
 * unjailed nodes) and, its jailed_until long past, one unjail signed by its key is accepted
 * (ValidateUnjailMessage) and it votes again from the blocks after.
 */
import { chainOn, test, expect } from '../../fixtures/pocket';
import { nanos } from '../../fixtures/chain-time';
import { privateNetwork } from '../../fixtures/private-network';
import { currentSession } from '../../fixtures/relay';
import { firstHeightWithout, firstJailedHeight, nodeState, STAKED, UNSTAKING } from '../../fixtures/staking';
import { txResult } from '../../fixtures/tx-result';
import { signersOf } from '../../fixtures/consensus';
import type { RawRpc } from '../../fixtures/rpc-client';
import { pollUntil } from '../../network/poll';

/** Reads at a height on one node: block times as nanoseconds, balances, node records with unstaking_time. */
function reads(rawRpc: RawRpc, url: string) {
  return {
    blockTime: async (h: number) => nanos((await rawRpc.post<{ block: { header: { time: string } } }>(url, '/v1/query/block', { height: h })).data.block.header.time),
    balance: async (address: string, h: number) => BigInt((await rawRpc.post<{ balance: number | string }>(url, '/v1/query/balance', { address, height: h })).data.balance),
    nodeRecord: async (address: string, h: number) => (await rawRpc.post<{ status: number; tokens: string; jailed: boolean; unstaking_time: string }>(url, '/v1/query/node', { address, height: h })).data,
  };
}

const CHAINS = ['00e5'];
// pocket-js refuses http:// service URLs; pocket-core only stores these.
const serviceUrl = (host: string) => new URL(`https://${host}.pokt.local:443`);

test.describe('forced paths', () => {
  test('a validator jailed for more than max_jailed_blocks is force-unstaked: unstaking from the session end after block jail + max_jailed_blocks, its whole stake back at unstaking_time @critical', { tag: '@nightly' }, async ({ startNetwork, sdk, recorder, rawRpc }) => {
    test.setTimeout(300_000);
    const MAX_JAILED = 8;
    const { network, chain, accounts } = await privateNetwork(startNetwork, sdk, recorder, (b) => b.withGenesisOverrides({ pos: { params: { max_jailed_blocks: String(MAX_JAILED) } } }));
    const url = network.node(1).rpcUrl;
    const { blockTime, balance, nodeRecord } = reads(rawRpc, url);
    const [op] = accounts(1);
    const S = 20_000_000_000n;
    const perSession = network.spec.timing.blocksPerSession;

    await test.step('a custodial servicer with no process behind it stakes S', async () => {
      const tx = await chain.submitAndCommit(op, (s) => s.nodeStake(op.publicKey, op.address, CHAINS, S.toString(), serviceUrl('phantom-maxjailed')));
      expect(await txResult(rawRpc, url, tx.hash)).toMatchObject({ code: 0, codespace: '' });
    });

    const jail = await test.step('it is jailed for downtime and slashed by slash_fraction_downtime', async () => {
      const h = await firstJailedHeight(rawRpc, url, op.address, () => chain.height());
      const r = await nodeRecord(op.address, h);
      expect(r).toMatchObject({ status: STAKED, jailed: true });
      return { height: h, tokens: BigInt(r.tokens) };
    });

    // EndBlocker: IncrementJailedValidators counts block jail as 1, so block jail + MAX_JAILED is
    // the first past the limit (ForceValidatorUnstake); UpdateTendermintValidators then releases
    // it at the first height ≥ that which ends a session.
    const forcedAt = jail.height + MAX_JAILED;
    const releasedAt = Math.ceil(forcedAt / perSession) * perSession;
    const until = await test.step(`staked and jailed until height ${releasedAt - 1}; unstaking from ${releasedAt}, unstaking_time = its block time + unstaking_time`, async () => {
      await network.waitForHeight(releasedAt + 1, { nodes: [network.node(1)] });
      expect(await nodeRecord(op.address, releasedAt - 1)).toMatchObject({ status: STAKED, jailed: true, tokens: jail.tokens.toString() });
      const r = await nodeRecord(op.address, releasedAt);
      expect(r).toMatchObject({ status: UNSTAKING, jailed: true, tokens: jail.tokens.toString() });
      expect(nanos(r.unstaking_time)).toBe((await blockTime(releasedAt)) + BigInt(network.spec.timing.unstakingSeconds) * 1_000_000_000n);
      return nanos(r.unstaking_time);
    });

    await test.step('in the first block whose time reaches unstaking_time it is gone and its whole remaining stake is back on its address', async () => {
      const g = await firstHeightWithout(rawRpc, url, op.address, () => chain.height());
      expect(await blockTime(g)).toBeGreaterThanOrEqual(until);
      expect(await blockTime(g - 1)).toBeLessThan(until);
      expect((await balance(op.address, g)) - (await balance(op.address, g - 1))).toBe(jail.tokens);
    });
  });

  test('a servicer slashed below the minimum stake is jailed, starts unstaking at the session end, refuses an edit (pos 110), and its remainder goes to its output address at unstaking_time @critical', { tag: '@nightly' }, async ({ startNetwork, sdk, recorder, rawRpc }) => {
    test.setTimeout(300_000);
    const FRACTION = '0.500000000000000000';
    const { network, chain, accounts } = await privateNetwork(startNetwork, sdk, recorder, (b) => b.withGenesisOverrides({ pos: { params: { slash_fraction_downtime: FRACTION } } }));
    const url = network.node(1).rpcUrl;
    const [op, output] = accounts(2);
    const S = 20_000_000_000n; // pos/StakeMinimum is 15 000 000 000
    const REMAINDER = S / 2n; // floor(floor(S/1e6)·1e6 · 0.5) burned
    const { blockTime, balance, nodeRecord } = reads(rawRpc, url);
    const record = (h: number) => nodeRecord(op.address, h);

    await test.step('a non-custodial servicer with no process behind it stakes S, its output address another account', async () => {
      const tx = await chain.submitAndCommit(op, (s) => s.nodeStake(op.publicKey, output.address, CHAINS, S.toString(), serviceUrl('phantom-forced')));
      expect(await txResult(rawRpc, url, tx.hash)).toMatchObject({ code: 0, codespace: '' });
      expect(await nodeState(rawRpc, url, op.address, tx.height)).toMatchObject({ status: STAKED, tokens: S.toString(), jailed: false, output_address: output.address });
    });

    const jailHeight = await test.step(`the downtime slash leaves ${REMAINDER} < the minimum: jailed, still staked, waiting`, async () => {
      const h = await firstJailedHeight(rawRpc, url, op.address, () => chain.height());
      expect(await nodeState(rawRpc, url, op.address, h)).toMatchObject({ status: STAKED, tokens: REMAINDER.toString(), jailed: true });
      return h;
    });

    const release = await test.step('it starts unstaking at the first height ≥ the jailing that ends a session (h % blocks_per_session = 0), with unstaking_time = that block\'s time + unstaking_time', async () => {
      const perSession = network.spec.timing.blocksPerSession;
      const expected = Math.ceil(jailHeight / perSession) * perSession;
      await network.waitForHeight(expected + 1, { nodes: [network.node(1)] });
      for (let h = jailHeight; h < expected; h++) expect((await record(h)).status, `status at ${h}`).toBe(STAKED);
      const r = await record(expected);
      expect(r).toMatchObject({ status: UNSTAKING, jailed: true, tokens: REMAINDER.toString() });
      expect(nanos(r.unstaking_time)).toBe((await blockTime(expected)) + BigInt(network.spec.timing.unstakingSeconds) * 1_000_000_000n);
      return { height: expected, until: nanos(r.unstaking_time) };
    });

    await test.step('an edit stake sent while it unstakes is refused (pos 110, validator status) and changes nothing', async () => {
      const tx = await chain.submitAndCommit(op, (s) => s.nodeStake(op.publicKey, output.address, CHAINS, (S * 2n).toString(), serviceUrl('phantom-forced')));
      expect(await txResult(rawRpc, url, tx.hash)).toMatchObject({ code: 110, codespace: 'pos' });
      expect(await record(tx.height)).toMatchObject({ status: UNSTAKING, tokens: REMAINDER.toString() });
    });

    await test.step(`in the first block whose time reaches unstaking_time it is gone and ${REMAINDER} upokt went to the output address, nothing to the operator`, async () => {
      const g = await firstHeightWithout(rawRpc, url, op.address, () => chain.height());
      expect(g).toBeGreaterThan(release.height);
      expect(await blockTime(g)).toBeGreaterThanOrEqual(release.until);
      expect(await blockTime(g - 1)).toBeLessThan(release.until);
      expect((await balance(output.address, g)) - (await balance(output.address, g - 1)), 'output address').toBe(REMAINDER);
      expect(await balance(op.address, g), 'operator').toBe(await balance(op.address, g - 1));
    });
  });

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
      for (const height of [h - 1, h]) expect((await signersOf(rawRpc, url, height - 1)).sort(), `precommits in block ${height}`).toEqual([...others].sort());
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
        return (await signersOf(rawRpc, url, h - 1)).sort().join() === all.join() ? h : undefined;
      }, { timeoutMs: 30_000, intervalMs: 500, what: 'a block with node4\'s precommit' });
      expect(signedAt).toBeGreaterThan(unjailHeight);
    });
  });
});
