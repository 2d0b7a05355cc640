/**
 * Built-in reward share (feature RewardDelegators, PIP-32): a node stake may carry
 * `reward_delegators`, a map address → percentage. When a proof pays the node, pocket-core
 *   1. mints relays × the chain's multiplier × the PIP-22 stake weight, and sends the DAO and
 *      proposer allocations of it to the fee pool;
 *   2. pays the operator the claim and proof fees back out of the node's part;
 *   3. gives each delegator truncate(rest × share / 100) and the output address what remains.
 * A map is valid when every share is positive, every key a 20-byte hex address and the shares
 * total at most 100 (x/nodes/types/msg.go NormalizeRewardDelegators); there is no other bound on
 * the number of delegators, so 100 of 1% is the most a stake can name. Only the operator may set
 * or change the map (x/nodes/keeper/valStateChanges.go ValidateEditStake).
 *
 * pocket-js 0.9.2-rc cannot send the field: stakes here use our typed v8 MsgStake on pocket-js's
 * own transaction machinery (fixtures/node-messages.ts).
 *
 * The rewarded servicer is custodial (output address = operator). On a chain below height 69583
 * with NCUST and RSCAL on, pocket-core pays a servicer's output address only when that address is
 * itself a validator and otherwise mints nothing (x/nodes/keeper/reward.go
 * isDuringFirstNonCustodialIssue, a replay of mainnet's history): a non-custodial servicer with a
 * plain output address earns nothing on these networks.
 */
import { test, expect, chainOn } from '../../fixtures/pocket';
import { expectRefused } from '../../fixtures/chain';
import { Governance, importKey } from '../../fixtures/governance';
import { freshSessions, rewardCycleNetwork, sendRelays, waitForClaim, waitForProof } from '../../fixtures/claims';
import { encodeNodeStake, stakeFields, withNodeStake } from '../../fixtures/node-messages';
import { printable, RewardLedger } from '../../fixtures/reward-ledger';
import { attachJson } from '../../fixtures/allure';
import { expectUnlessKnownDefect } from '../../fixtures/known-defect';
import { nodeState } from '../../fixtures/staking';
import { messageOfTx } from '../../network/gov-codec';
import { cliTx } from '../../network/dao-cli';
import { randomKey } from '../../network/keys';
import { MIN_TX_FEE } from '../../network/spec';

// pocket-core stores any well-formed service URL; these nodes run no process.
const serviceUrl = (host: string) => `https://${host}.pokt.local:443`;
const STAKE = 20_000_000_000n;

test.describe('built-in reward share (RewardDelegators)', { tag: '@nightly' }, () => {
  test('each delegator gets exactly its share of a relay reward and the output address the rest @critical', async ({ startNetwork, sdk, recorder, rawRpc }) => {
    test.setTimeout(360_000);
    const net = await startNetwork(rewardCycleNetwork);
    const url = net.node(1).rpcUrl;
    const chain = chainOn(sdk, net, recorder);
    const ledger = new RewardLedger(net, rawRpc);
    const app = net.keys.apps[0];
    const node = net.node(2);
    const [d1, d2] = [randomKey(), randomKey()];
    const delegators = { [d1.address]: 10, [d2.address]: 25 };

    await test.step('the DAO sets a relays-to-tokens multiplier whose rewards do not divide evenly', async () => {
      const tx = await new Governance(chain).changeParam(net.keys.daoOwner, 'pos/RelaysToTokensMultiplier', JSON.stringify('7777'));
      expect(tx.code, tx.log).toBe(0);
    });

    await test.step(`${node.name}'s operator re-stakes it (same tokens, chains and URL) naming two delegators, 10% and 25%`, async () => {
      const current = await nodeState(rawRpc, url, node.address);
      expect(current?.output_address ?? '', 'a genesis validator has no output address').toBe('');
      const edit = await chain.submitAndCommit(node.key, withNodeStake(chain, stakeFields(node.key, { chains: current!.chains, amount: BigInt(current!.tokens), serviceUrl: current!.service_url, rewardDelegators: delegators })));
      expect(edit.code, edit.log).toBe(0);
      expect(await ledger.node(node.address, edit.height)).toMatchObject({ output_address: node.address, reward_delegators: delegators });
    });

    const relays = 11;
    const sessions = await freshSessions(net, rawRpc, app, ['0021'], (s) => s['0021'].servicers.includes(node));
    await test.step(`${relays} relays to ${node.name} on 0021 in one session`, () => sendRelays(rawRpc, sessions['0021'], node, app, '0021', relays));
    const claim = await test.step('the claim', () => waitForClaim(rawRpc, url, node.address, app, '0021', sessions['0021'].sessionHeight));
    expect(claim.total_proofs).toBe(relays);
    const proof = await test.step('the proof', () => waitForProof(rawRpc, url, node.address, claim));

    await test.step('the proof block mints the weighted reward and pays it out to the upokt', async () => {
      const expected = await ledger.expect(proof.height, [{ servicer: node.address, chain: '0021', relays }]);
      const observed = await ledger.observe(proof.height, [node.address, d1.address, d2.address]);
      await attachJson('expected vs observed', printable({ expected, observed }));
      const [paid] = expected.proofs;
      // The arithmetic the test relies on: the delegators' part is not empty and nothing is lost.
      expect(paid.minted, 'relays × 7777 × stake weight').toBeGreaterThan(0n);
      expect(paid.payouts.get(d1.address)).toBeGreaterThan(0n);
      expect([...paid.payouts.values()].reduce((a, b) => a + b, 0n) + paid.toFeePool, 'payouts + fee pool = minted').toBe(paid.minted);

      expect(observed.minted, 'supply growth = the reward minted').toBe(expected.minted);
      expect(observed.feePool, 'fee pool = DAO + proposer allocation + the block\'s fees').toBe(expected.feePool);
      expect(observed.deltas.get(d1.address), 'delegator 1 (10%)').toBe(expected.deltas.get(d1.address) ?? 0n);
      expect(observed.deltas.get(d2.address), 'delegator 2 (25%)').toBe(expected.deltas.get(d2.address) ?? 0n);
      expect(observed.deltas.get(node.address), 'operator = output: fee compensation + the rest − the proof fee').toBe(expected.deltas.get(node.address) ?? 0n);
    });
  });

  test('a map over 100% in total, with a bad address or a zero share, or of more than 100 delegators is refused (pos code 128) @critical', async ({ network, chain, rawRpc, accounts }) => {
    const [op] = accounts(1);
    const a = randomKey().address;
    const b = randomKey().address;
    const hundredAndOne = Object.fromEntries(Array.from({ length: 101 }, () => [randomKey().address, 1]));
    const invalid: Array<[string, Record<string, number>]> = [
      ['shares totalling 101', { [a]: 60, [b]: 41 }],
      ['a key that is not hex', { 'not-an-address': 10 }],
      ['a key of 19 bytes', { [a.slice(0, 38)]: 10 }],
      ['a zero share', { [a]: 0 }],
      ['101 delegators of 1%', hundredAndOne],
    ];
    for (const [what, map] of invalid) {
      const refusal = await expectRefused(chain.submit(op, withNodeStake(chain, stakeFields(op, { chains: ['0001'], amount: STAKE, serviceUrl: serviceUrl('refused'), rewardDelegators: map }))));
      expect(refusal, what).toMatchObject({ codespace: 'pos', code: 128 });
      expect(refusal.message, what).toContain('Invalid reward delegators');
    }
    expect(await nodeState(rawRpc, network.node(1).rpcUrl, op.address), 'no stake was made').toBeUndefined();
  });

  test('100 delegators of 1% each, the largest valid map, is accepted and stored as sent', async ({ network, chain, rawRpc, accounts }) => {
    const [op] = accounts(1);
    const hundred = Object.fromEntries(Array.from({ length: 100 }, () => [randomKey().address, 1]));
    const before = await chain.balance(op.address);
    const tx = await chain.submitAndCommit(op, withNodeStake(chain, stakeFields(op, { chains: ['0001'], amount: STAKE, serviceUrl: serviceUrl('hundred'), rewardDelegators: hundred })));
    expect(tx.code, tx.log).toBe(0);
    expect((await rawRpc.post(network.node(1).rpcUrl, '/v1/query/node', { address: op.address, height: tx.height })).data.reward_delegators).toEqual(hundred);
    expect(await chain.balance(op.address, tx.height)).toBe(before - STAKE - MIN_TX_FEE);
  });

  test('only the operator may set or change the delegators; the output address may not (pos code 129) @critical', async ({ network, chain, rawRpc, accounts }) => {
    const [op, output] = accounts(2);
    const url = network.node(1).rpcUrl;
    const fields = (rewardDelegators?: Record<string, number>) => stakeFields(op, { chains: ['0001'], amount: STAKE, serviceUrl: serviceUrl('operator-only'), outputAddress: output.address, rewardDelegators });
    const delegate = randomKey().address;
    expect((await chain.submitAndCommit(op, withNodeStake(chain, fields()))).code).toBe(0);

    const byOutput = await chain.submitAndCommit(output, withNodeStake(chain, fields({ [delegate]: 50 })));
    expect(byOutput.code, 'the output address may edit the stake, not its delegators').toBe(129);
    expect((await rawRpc.post(url, '/v1/query/node', { address: op.address, height: byOutput.height })).data.reward_delegators, 'still none (the query writes null)').toBeNull();

    const byOperator = await chain.submitAndCommit(op, withNodeStake(chain, fields({ [delegate]: 50 })));
    expect(byOperator.code, byOperator.log).toBe(0);
    expect((await rawRpc.post(url, '/v1/query/node', { address: op.address, height: byOperator.height })).data.reward_delegators).toEqual({ [delegate]: 50 });
  });

  test('pocket-core\'s own CLI (nodes stakeNew) builds the very message bytes our typed message sends', async ({ network, rawRpc, accounts }) => {
    const [op] = accounts(1);
    const node = network.node(1);
    await importKey(node, op);
    // One delegator: Go iterates maps in random order, so only a one-entry map has one encoding.
    const fields = stakeFields(op, { chains: ['0001'], amount: STAKE, serviceUrl: serviceUrl('cli'), rewardDelegators: { [randomKey().address]: 15 } });
    const res = await cliTx(node, ['nodes', 'stakeNew', op.publicKey, op.address, op.address, STAKE.toString(), '0001', fields.serviceUrl, JSON.stringify(fields.rewardDelegators), network.chainId, MIN_TX_FEE.toString()], 'stake with the CLI');
    expect(res.code, res.log).toBe(0);
    const tx = await rawRpc.post<{ tx: string }>(node.rpcUrl, '/v1/query/tx', { hash: res.hash });
    const message = messageOfTx(tx.data.tx);
    expect(message.typeUrl).toBe('/x.nodes.MsgProtoStake8');
    expect(message.value.toString('hex')).toBe(encodeNodeStake(fields).toString('hex'));
  });
});

test.describe('built-in reward share: non-custodial servicers', { tag: '@nightly' }, () => {
  test('a servicer whose output address is not itself a validator pays its delegators and output address', async ({ startNetwork, sdk, recorder, rawRpc }) => {
    test.setTimeout(360_000);
    const net = await startNetwork(rewardCycleNetwork);
    const url = net.node(1).rpcUrl;
    const chain = chainOn(sdk, net, recorder);
    const ledger = new RewardLedger(net, rawRpc);
    const app = net.keys.apps[0];
    const node = net.node(3);
    const [output, delegate] = [randomKey(), randomKey()];
    const current = await nodeState(rawRpc, url, node.address);
    const edit = await chain.submitAndCommit(node.key, withNodeStake(chain, stakeFields(node.key, { chains: current!.chains, amount: BigInt(current!.tokens), serviceUrl: current!.service_url, outputAddress: output.address, rewardDelegators: { [delegate.address]: 20 } })));
    expect(edit.code, edit.log).toBe(0);

    const relays = 40;
    const sessions = await freshSessions(net, rawRpc, app, ['0021'], (s) => s['0021'].servicers.includes(node));
    await sendRelays(rawRpc, sessions['0021'], node, app, '0021', relays);
    const claim = await waitForClaim(rawRpc, url, node.address, app, '0021', sessions['0021'].sessionHeight);
    const proof = await waitForProof(rawRpc, url, node.address, claim);
    // Rewards follow what the servicer claimed (fixtures/claims.ts: a claim can hold fewer relays than were answered).
    const expected = await ledger.expect(proof.height, [{ servicer: node.address, chain: '0021', relays: Number(claim.total_proofs) }]);
    const observed = await ledger.observe(proof.height, [output.address, delegate.address]);
    await attachJson('expected vs observed', printable({ expected, observed }));
    const outcome = (minted: bigint, toOutput: bigint, toDelegate: bigint) => ({ minted, toOutput, toDelegate });
    await expectUnlessKnownDefect(
      'PC-NONCUSTODIAL-REWARD-ZERO',
      outcome(observed.minted, observed.deltas.get(output.address) ?? 0n, observed.deltas.get(delegate.address) ?? 0n),
      { correct: outcome(expected.minted, expected.deltas.get(output.address) ?? 0n, expected.deltas.get(delegate.address) ?? 0n), defect: outcome(0n, 0n, 0n) },
      net,
    );
  });
});
