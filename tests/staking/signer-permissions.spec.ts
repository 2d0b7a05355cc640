/**
 * Who may sign what for a non-custodial servicer (operator key ≠ output address key), issue #16
 * family 1. Every cell is one transaction signed by the operator, the output address or an
 * unrelated funded account ("stranger"); its result (accepted, or refused with codespace and code,
 * at submission or in a block) and its effect (stake, status, jailed flag, every balance to the
 * upokt, fee included) are asserted exactly.
 *
 * The expected answers, from pocket-core RC-0.12.0 (NCUST and OEDIT on):
 *  - x/auth/ante.go ValidateTransaction: the tx's signing key must be one of the message's
 *    GetSigners() (x/nodes/types/msg.go: MsgStake → [operator, msg.output]; MsgBeginUnstake and
 *    MsgUnjail → [msg.Signer, msg.Address]) or, with NCUST and OEDIT, for a MsgStake the node's
 *    current output address (keeper.GetMsgStakeOutputSigner). Otherwise CheckTx refuses it with
 *    sdk ErrUnauthorized (codespace sdk, code 4) and nothing, not even the fee, is taken. Past
 *    the ante handler the fee is taken from the signer (DeductFees), whatever the handler says.
 *  - x/nodes/keeper/valStateChanges.go ValidateValidatorMsgSigner: only the operator or the
 *    current output address may act on a node, else ErrUnauthorizedSigner (pos 125). It guards
 *    ValidateValidatorStaking (against the new and the current state), handleMsgBeginUnstake
 *    (x/nodes/handler.go) and ValidateUnjailMessage (checked before anything else there).
 *  - ValidateValidatorStaking/ValidateEditStake + EditStakeValidator: an edit that raises the
 *    stake takes the difference from the SIGNER's balance (coinsFromUnstakedToStaked(signer)).
 *    With OEDIT on, the output address may change only if the signer is the current output address
 *    (else ErrDisallowedOutputAddressEdit, pos 127); without OEDIT (RC-0.9.2, before the key
 *    existed) it may never change (ErrUnequalOutputAddr, pos 124) and the current output owner is
 *    no valid signer of a message that names another output (ante: sdk 4 at submission).
 *  - ValidateValidatorBeginUnstaking: after NCUST a jailed node may begin unstaking; the node waits
 *    for its session's end (ReleaseWaitingValidators) and, unstaking_time later, its tokens go to
 *    the output address (pool.go coinsFromStakedToUnstaked), whoever signed the unstake.
 *  - ValidateUnjailMessage: signer (125), then stake ≥ minimum, jailed (else 105), then
 *    jailed_until against the node's clock and the block time (ErrValidatorJailed, pos 104).
 *
 * Every servicer here runs no process, so it misses its blocks and is jailed (and slashed
 * slash_fraction_downtime of its stake, x/nodes/keeper/slash.go handleValidatorSignature) a few
 * blocks after its stake. Each test waits for that first: a jailed node leaves the validator set
 * and is never slashed again, so its stake is stable and every effect is exact. An edit or an
 * unstake does not look at the jailed flag (ValidateEditStake, ValidateValidatorBeginUnstaking
 * after NCUST), and the unjail cells need a jailed node anyway.
 *
 * The nodes are staked for chain 00e5, which no app is staked for and no test dispatches. Each test
 * runs on a private network: servicers that never sign count in consensus until they are jailed
 * (and again once unjailed), and on the shared network their power added to other suites' such
 * nodes once stalled consensus (rounds without 2/3 prevotes).
 *
 * Not covered: "rewards of a non-custodial servicer go to the output address and the operator
 * pays the claim/proof fees". On these networks (height < 69583 with NCUST and RSCAL on)
 * pocket-core pays a non-custodial servicer's output address only when it is itself a validator
 * (x/nodes/keeper/reward.go isDuringFirstNonCustodialIssue, see tests/staking/reward-delegators),
 * which needs a servicer process serving relays: out of this suite's time budget.
 */
import { test, expect } from '../../fixtures/pocket';
import { privateNetwork } from '../../fixtures/private-network';
import { attachJson } from '../../fixtures/allure';
import { TxRejected, nodeRefusal, type Chain } from '../../fixtures/chain';
import { versionAtLeast } from '../../fixtures/node-settings';
import type { RawRpc } from '../../fixtures/rpc-client';
import { nodeState, nodeUnstakingFrom, STAKED, tokensBeforeRemoval, UNSTAKING, waitUntilGone, type NodeState } from '../../fixtures/staking';
import { txResult } from '../../fixtures/tx-result';
import type { PocketKey } from '../../network/keys';
import type { StartedPocketNetwork } from '../../network/pocket-network';
import { pollUntil } from '../../network/poll';
import { MIN_TX_FEE } from '../../network/spec';
import { nanos } from '../../fixtures/chain-time';


const CHAINS = ['00e5'];
const STAKE = 20_000_000_000n;
const RAISE = 1_000_000_000n;
// pocket-js refuses http:// service URLs; pocket-core only stores these.
const serviceUrl = (host: string) => new URL(`https://${host}.pokt.local:443`);

interface Outcome { stage: 'submission' | 'block'; codespace: string; code: number }
const ACCEPTED: Outcome = { stage: 'block', codespace: '', code: 0 };
const inBlock = (codespace: string, code: number): Outcome => ({ stage: 'block', codespace, code });
const atSubmission = (codespace: string, code: number): Outcome => ({ stage: 'submission', codespace, code });
/** x/auth/ante.go ValidateTransaction: the signing key is none of the message's valid signers. */
const ANTE_UNAUTHORIZED = atSubmission('sdk', 4);

interface Snapshot { height: number; nodes: Record<string, NodeState | undefined>; balances: Record<string, bigint> }
interface Cell { what: string; outcome: Outcome; height?: number; before: Snapshot; after: Snapshot }
type Build = (s: ReturnType<Chain['sender']>) => ReturnType<Chain['sender']>;

/** The observed matrix, one row per cell, attached to the report and printed. */
interface Row { cell: string; outcome: string; effect: Record<string, string> }


/** An 18-decimal sdk.Dec string as an integer scaled by 1e18. */
function dec18(s: string): bigint {
  const [int, frac = ''] = s.split('.');
  return BigInt(int) * 10n ** 18n + BigInt(frac.padEnd(18, '0').slice(0, 18));
}

class SignerMatrix {
  readonly rows: Row[] = [];
  private readonly url: string;
  constructor(
    readonly net: StartedPocketNetwork,
    readonly chain: Chain,
    readonly rpc: RawRpc,
    private readonly roles: Record<string, string>,
  ) {
    this.url = net.node(1).rpcUrl;
  }

  node(address: string, height = 0): Promise<NodeState | undefined> {
    return nodeState(this.rpc, this.url, address, height);
  }

  async snapshot(height: number, nodes: readonly string[], accounts: readonly string[]): Promise<Snapshot> {
    const snap: Snapshot = { height, nodes: {}, balances: {} };
    for (const n of nodes) snap.nodes[n] = await this.node(n, height);
    for (const a of accounts) snap.balances[a] = await this.chain.balance(a, height);
    return snap;
  }

  /**
   * One cell: `signer` signs what `build` makes. Before/after are the states around it: the
   * blocks before and of the tx when it reached a block; the block before the submission and the
   * next one when the node refused it outright.
   */
  async attempt(what: string, signer: PocketKey, build: Build, nodes: readonly string[], accounts: readonly string[]): Promise<Cell> {
    const h0 = await this.chain.height();
    let hash: string | undefined;
    let refused: Outcome | undefined;
    try {
      hash = await this.chain.submit(signer, build);
    } catch (err) {
      if (!(err instanceof TxRejected)) throw err;
      const r = nodeRefusal(err);
      refused = atSubmission(r.codespace ?? '', r.code);
    }
    let cell: Cell;
    if (hash !== undefined) {
      const tx = await this.chain.waitForTx(hash);
      const r = await txResult(this.rpc, this.url, hash);
      cell = { what, outcome: inBlock(r.codespace, r.code), height: tx.height, before: await this.snapshot(tx.height - 1, nodes, accounts), after: await this.snapshot(tx.height, nodes, accounts) };
    } else {
      // A tx CheckTx refused never enters the mempool: the next block shows it had no effect.
      await this.chain.waitForHeight(h0 + 1);
      cell = { what, outcome: refused!, before: await this.snapshot(h0, nodes, accounts), after: await this.snapshot(h0 + 1, nodes, accounts) };
    }
    this.record(cell);
    return cell;
  }

  private record(cell: Cell): void {
    const effect: Record<string, string> = {};
    for (const [a, b] of Object.entries(cell.before.balances)) {
      const d = cell.after.balances[a] - b;
      if (d !== 0n) effect[`balance ${this.roles[a] ?? a}`] = `${d > 0n ? '+' : ''}${d}`;
    }
    for (const [n, b] of Object.entries(cell.before.nodes)) {
      const a = cell.after.nodes[n];
      for (const k of ['tokens', 'status', 'jailed', 'output_address'] as const) {
        if (String(b?.[k]) !== String(a?.[k])) effect[`${this.roles[n] ?? n} ${k}`] = `${String(b?.[k])} → ${String(a?.[k])}`;
      }
    }
    const o = cell.outcome;
    this.rows.push({ cell: cell.what, outcome: `${o.stage}: ${o.code === 0 ? 'accepted' : `${o.codespace} ${o.code}`}${cell.height ? ` (height ${cell.height})` : ''}`, effect });
  }

  async publish(title: string): Promise<void> {
    await attachJson(`signer matrix: ${title}`, this.rows);
    for (const r of this.rows) console.log(`[signer-matrix] ${title} | ${r.cell} | ${r.outcome} | ${JSON.stringify(r.effect)}`);
  }

  /** The downtime slash of a node of `tokens` (x/nodes/keeper/slash.go slash: power × 1e6 × fraction, truncated). */
  async downtimeSlash(tokens: bigint, height: number): Promise<bigint> {
    const params = await this.rpc.post<{ slash_fraction_downtime: string }>(this.url, '/v1/query/nodeparams', { height });
    expect(params.status).toBe(200);
    return ((tokens / 1_000_000n) * 1_000_000n * dec18(params.data.slash_fraction_downtime)) / 10n ** 18n;
  }

  /**
   * `op` stakes a non-custodial servicer with output `output` and no process behind it; returns
   * once it has been jailed for downtime, with its (now stable) state at the jailing height.
   */
  async stakeAndJail(op: PocketKey, output: PocketKey, host: string): Promise<{ jailHeight: number; tokens: bigint; jailedUntil: bigint }> {
    const stake = await this.attempt(`setup: operator stakes ${this.roles[op.address]} (output ${this.roles[output.address]})`, op, (s) => s.nodeStake(op.publicKey, output.address, CHAINS, STAKE.toString(), serviceUrl(host)), [op.address], [op.address, output.address]);
    expect(stake.outcome).toEqual(ACCEPTED);
    expect(stake.after.nodes[op.address]).toMatchObject({ status: STAKED, tokens: STAKE.toString(), chains: CHAINS, output_address: output.address, jailed: false });
    expect(stake.after.balances).toEqual({ [op.address]: stake.before.balances[op.address] - STAKE - MIN_TX_FEE, [output.address]: stake.before.balances[output.address] });

    const seen = await pollUntil(async () => {
      const h = await this.chain.height();
      return (await this.node(op.address, h))?.jailed ? h : undefined;
    }, { timeoutMs: 120_000, intervalMs: 1000, what: `${this.roles[op.address]} (no process) to be jailed for downtime` });
    let jailHeight = seen;
    while ((await this.node(op.address, jailHeight - 1))?.jailed) jailHeight--;
    const tokens = STAKE - (await this.downtimeSlash(STAKE, jailHeight));
    expect(await this.node(op.address, jailHeight), `jailed at height ${jailHeight}, slashed once`).toMatchObject({ status: STAKED, tokens: tokens.toString(), output_address: output.address, jailed: true });
    const info = await this.rpc.post<{ result: Array<{ jailed_until: string }> }>(this.url, '/v1/query/signinginfo', { height: jailHeight, address: op.address });
    expect(info.status).toBe(200);
    return { jailHeight, tokens, jailedUntil: nanos(info.data.result[0].jailed_until) };
  }

  async blockTime(height: number): Promise<bigint> {
    return nanos((await this.rpc.post<{ block: { header: { time: string } } }>(this.url, '/v1/query/block', { height })).data.block.header.time);
  }
}

/** `before` with these balance deltas and node field changes applied: the one exact expected state. */
function changed(before: Snapshot, after: Snapshot, d: { balances?: Record<string, bigint>; nodes?: Record<string, Partial<NodeState>> }): Snapshot {
  const balances = { ...before.balances };
  for (const [a, delta] of Object.entries(d.balances ?? {})) balances[a] += delta;
  const nodes = { ...before.nodes };
  for (const [n, fields] of Object.entries(d.nodes ?? {})) nodes[n] = { ...(nodes[n] as NodeState), ...fields };
  return { height: after.height, nodes, balances };
}

test.describe('who may sign what for a non-custodial servicer', { tag: '@nightly' }, () => {
  test('stake edit (raise): operator and output address may, each paying the raise and the fee itself; a stranger may not @critical', async ({ startNetwork, sdk, recorder, rawRpc }) => {
    const { network, chain, accounts } = await privateNetwork(startNetwork, sdk, recorder);
    test.setTimeout(240_000);
    const [op, output, stranger] = accounts(3);
    const m = new SignerMatrix(network, chain, rawRpc, { [op.address]: 'operator', [output.address]: 'output', [stranger.address]: 'stranger' });
    const node = await m.stakeAndJail(op, output, 'sp-edit');
    const watch = [[op.address], [op.address, output.address, stranger.address]] as const;
    let tokens = node.tokens;
    const raise = (outputAddress = output.address) => (s: ReturnType<Chain['sender']>) => s.nodeStake(op.publicKey, outputAddress, CHAINS, (tokens + RAISE).toString(), serviceUrl('sp-edit'));

    await test.step('stranger signs the raise: ante refuses it (stranger ∉ [operator, output] + current output), no fee', async () => {
      const c = await m.attempt('edit(raise) by stranger', stranger, raise(), ...watch);
      expect(c.outcome).toEqual(ANTE_UNAUTHORIZED);
      expect(c.after).toEqual(changed(c.before, c.after, {}));
    });

    await test.step('stranger signs the raise naming itself output: past the ante (it is msg.output), ValidateValidatorStaking refuses it (pos 125), stranger pays the fee', async () => {
      const c = await m.attempt('edit(raise) by stranger naming itself output', stranger, raise(stranger.address), ...watch);
      expect(c.outcome).toEqual(inBlock('pos', 125));
      expect(c.after).toEqual(changed(c.before, c.after, { balances: { [stranger.address]: -MIN_TX_FEE } }));
    });

    await test.step('operator signs the raise: accepted, the raise and the fee come from the operator', async () => {
      const c = await m.attempt('edit(raise) by operator', op, raise(), ...watch);
      expect(c.outcome).toEqual(ACCEPTED);
      expect(c.after).toEqual(changed(c.before, c.after, { balances: { [op.address]: -RAISE - MIN_TX_FEE }, nodes: { [op.address]: { tokens: (tokens + RAISE).toString() } } }));
      expect(c.after.nodes[op.address]).toMatchObject({ status: STAKED, jailed: true, output_address: output.address });
      tokens += RAISE;
    });

    await test.step('output address signs the raise: accepted, the raise and the fee come from the output address (the signer), not the operator', async () => {
      const c = await m.attempt('edit(raise) by output', output, raise(), ...watch);
      expect(c.outcome).toEqual(ACCEPTED);
      expect(c.after).toEqual(changed(c.before, c.after, { balances: { [output.address]: -RAISE - MIN_TX_FEE }, nodes: { [op.address]: { tokens: (tokens + RAISE).toString() } } }));
      expect(c.after.nodes[op.address]).toMatchObject({ status: STAKED, jailed: true, output_address: output.address });
      tokens += RAISE;
    });
    await m.publish('stake edit');
  });

  test('begin unstake: operator and output address may, the tokens always return to the output address; a stranger may not @critical', async ({ startNetwork, sdk, recorder, rawRpc }) => {
    const { network, chain, accounts } = await privateNetwork(startNetwork, sdk, recorder);
    test.setTimeout(300_000);
    const [opA, opB, output, stranger] = accounts(4);
    const m = new SignerMatrix(network, chain, rawRpc, { [opA.address]: 'operator A', [opB.address]: 'operator B', [output.address]: 'output', [stranger.address]: 'stranger' });
    // One after the other: two stakes in one block made the auditor's txs.indexed law report
    // "/v1/query/blocktxs lists indexes [1, 0]" (see the issue #16 report); kept out of this suite's scope.
    const a = await m.stakeAndJail(opA, output, 'sp-unstake-a');
    const b = await m.stakeAndJail(opB, output, 'sp-unstake-b');
    const watch = [[opA.address, opB.address], [opA.address, opB.address, output.address, stranger.address]] as const;

    await test.step('stranger unstakes A as itself (msg.Signer = stranger): handleMsgBeginUnstake refuses it (pos 125), stranger pays the fee', async () => {
      const c = await m.attempt('unstake A by stranger', stranger, (s) => s.nodeUnstake(opA.address, stranger.address), ...watch);
      expect(c.outcome).toEqual(inBlock('pos', 125));
      expect(c.after).toEqual(changed(c.before, c.after, { balances: { [stranger.address]: -MIN_TX_FEE } }));
    });

    await test.step('stranger unstakes A naming the output address as msg.Signer: ante refuses it at submission, no fee', async () => {
      const c = await m.attempt('unstake A by stranger claiming to be output', stranger, (s) => s.nodeUnstake(opA.address, output.address), ...watch);
      expect(c.outcome).toEqual(ANTE_UNAUTHORIZED);
      expect(c.after).toEqual(changed(c.before, c.after, {}));
    });

    const byOperator = await test.step('operator A unstakes A: accepted (the node waits for its session end), operator pays the fee', async () => {
      // A begin-unstake in a session's last block is released in that block's end-blocker: the
      // node's status is checked at its session end below, not in this snapshot.
      const c = await m.attempt('unstake A by operator', opA, (s) => s.nodeUnstake(opA.address, opA.address), [opB.address], watch[1]);
      expect(c.outcome).toEqual(ACCEPTED);
      expect(c.after).toEqual(changed(c.before, c.after, { balances: { [opA.address]: -MIN_TX_FEE } }));
      return c;
    });

    const byOutput = await test.step('the output address unstakes B: accepted, the output address pays the fee', async () => {
      const c = await m.attempt('unstake B by output', output, (s) => s.nodeUnstake(opB.address, output.address), [], watch[1]);
      expect(c.outcome).toEqual(ACCEPTED);
      expect(c.after).toEqual(changed(c.before, c.after, { balances: { [output.address]: -MIN_TX_FEE } }));
      return c;
    });

    await test.step('both begin unstaking at their session end (jailed nodes may, after NCUST)', async () => {
      for (const [key, tx, tokens] of [[opA, byOperator, a.tokens], [opB, byOutput, b.tokens]] as const) {
        const { height, node } = await nodeUnstakingFrom(network, rawRpc, key.address, tx.height!);
        expect(node, `${key.address} at height ${height}`).toMatchObject({ status: UNSTAKING, tokens: tokens.toString(), jailed: true, output_address: output.address });
      }
    });

    await test.step('after unstaking_time both are gone and each node\'s tokens went to the output address; the operators get nothing', async () => {
      const url = network.node(1).rpcUrl;
      await waitUntilGone(() => nodeState(rawRpc, url, opA.address), 'node A to finish unstaking');
      await waitUntilGone(() => nodeState(rawRpc, url, opB.address), 'node B to finish unstaking');
      const goneAt = await chain.height();
      expect(await tokensBeforeRemoval(rawRpc, url, opA.address, goneAt)).toBe(a.tokens);
      expect(await tokensBeforeRemoval(rawRpc, url, opB.address, goneAt)).toBe(b.tokens);
      const after = await m.snapshot(goneAt, [], [opA.address, opB.address, output.address, stranger.address]);
      expect(after.balances).toEqual({
        [opA.address]: byOutput.after.balances[opA.address],
        [opB.address]: byOutput.after.balances[opB.address],
        [output.address]: byOutput.after.balances[output.address] + a.tokens + b.tokens,
        [stranger.address]: byOutput.after.balances[stranger.address],
      });
      m.rows.push({ cell: 'unstake A (operator) and B (output) completed', outcome: `unstaked by height ${goneAt}`, effect: { 'balance output': `+${a.tokens + b.tokens}`, 'balance operator A': '+0', 'balance operator B': '+0' } });
    });
    await m.publish('begin unstake');
  });

  test('unjail: operator and output address may once jailed_until has passed (pos 104 before); a stranger may not (pos 125)', async ({ startNetwork, sdk, recorder, rawRpc }) => {
    const { network, chain, accounts } = await privateNetwork(startNetwork, sdk, recorder);
    test.setTimeout(300_000);
    const [opA, opB, output, stranger] = accounts(4);
    const m = new SignerMatrix(network, chain, rawRpc, { [opA.address]: 'operator A', [opB.address]: 'operator B', [output.address]: 'output', [stranger.address]: 'stranger' });
    // One after the other: two stakes in one block made the auditor's txs.indexed law report
    // "/v1/query/blocktxs lists indexes [1, 0]" (see the issue #16 report); kept out of this suite's scope.
    const a = await m.stakeAndJail(opA, output, 'sp-unjail-a');
    const b = await m.stakeAndJail(opB, output, 'sp-unjail-b');
    const watch = [[opA.address, opB.address], [opA.address, opB.address, output.address, stranger.address]] as const;

    await test.step('stranger unjails A as itself: ValidateUnjailMessage checks the signer first (pos 125), stranger pays the fee', async () => {
      const c = await m.attempt('unjail A by stranger', stranger, (s) => s.nodeUnjail(opA.address, stranger.address), ...watch);
      expect(c.outcome).toEqual(inBlock('pos', 125));
      expect(c.after).toEqual(changed(c.before, c.after, { balances: { [stranger.address]: -MIN_TX_FEE } }));
    });

    await test.step('stranger unjails A naming the output address as msg.Signer: ante refuses it at submission, no fee', async () => {
      const c = await m.attempt('unjail A by stranger claiming to be output', stranger, (s) => s.nodeUnjail(opA.address, output.address), ...watch);
      expect(c.outcome).toEqual(ANTE_UNAUTHORIZED);
      expect(c.after).toEqual(changed(c.before, c.after, {}));
    });

    for (const [who, key] of [['operator', opA], ['output', output]] as const) {
      await test.step(`${who} unjails A before jailed_until: signer accepted, refused as "validator jailed" (pos 104), ${who} pays the fee`, async () => {
        const c = await m.attempt(`unjail A by ${who} before jailed_until`, key, (s) => s.nodeUnjail(opA.address, key.address), ...watch);
        expect(c.outcome).toEqual(inBlock('pos', 104));
        expect(await m.blockTime(c.height!), 'delivered before jailed_until').toBeLessThan(a.jailedUntil);
        expect(c.after).toEqual(changed(c.before, c.after, { balances: { [key.address]: -MIN_TX_FEE } }));
      });
    }

    await test.step('a committed block reaches both nodes\' jailed_until', async () => {
      const until = a.jailedUntil > b.jailedUntil ? a.jailedUntil : b.jailedUntil;
      await pollUntil(async () => ((await m.blockTime(await chain.height())) >= until ? true : undefined), { timeoutMs: network.spec.timing.downtimeJailSeconds * 1000 + 60_000, intervalMs: 500, what: 'a block at or after jailed_until' });
    });

    await test.step('operator A unjails A: accepted, A is unjailed with its stake, operator pays the fee', async () => {
      const c = await m.attempt('unjail A by operator after jailed_until', opA, (s) => s.nodeUnjail(opA.address, opA.address), ...watch);
      expect(c.outcome).toEqual(ACCEPTED);
      expect(c.after).toEqual(changed(c.before, c.after, { balances: { [opA.address]: -MIN_TX_FEE }, nodes: { [opA.address]: { jailed: false } } }));
      expect(c.after.nodes[opA.address]).toMatchObject({ status: STAKED, tokens: a.tokens.toString(), jailed: false });
    });

    await test.step('the output address unjails B: accepted, B is unjailed with its stake, the output address pays the fee', async () => {
      const c = await m.attempt('unjail B by output after jailed_until', output, (s) => s.nodeUnjail(opB.address, output.address), [opB.address], [opA.address, opB.address, output.address, stranger.address]);
      expect(c.outcome).toEqual(ACCEPTED);
      expect(c.after).toEqual(changed(c.before, c.after, { balances: { [output.address]: -MIN_TX_FEE }, nodes: { [opB.address]: { jailed: false } } }));
      expect(c.after.nodes[opB.address]).toMatchObject({ status: STAKED, tokens: b.tokens.toString(), jailed: false });
    });
    await m.publish('unjail');
  });

  test('the output address changes only by its current owner, where OEDIT allows it; the operator never changes it @critical', async ({ startNetwork, sdk, recorder, rawRpc }) => {
    const { network, chain, accounts } = await privateNetwork(startNetwork, sdk, recorder);
    test.setTimeout(240_000);
    const [op, o1, o2] = accounts(3);
    const url = network.node(1).rpcUrl;
    const m = new SignerMatrix(network, chain, rawRpc, { [op.address]: 'operator', [o1.address]: 'output O1', [o2.address]: 'new output O2' });

    // What the network reports: its AppVersion and the feature heights of its upgrade record.
    const version = (await rawRpc.get<string>(url, '/v1')).data;
    const record = await rawRpc.post<{ Features: string[] }>(url, '/v1/query/upgrade', { height: 0 });
    expect(record.status).toBe(200);
    const height = await chain.height();
    const oeditAt = record.data.Features.map((f) => f.split(':')).find(([k]) => k === 'OEDIT')?.[1];
    // RC-0.9.2's codec has no OEDIT key; from RC-0.10.0 it is a feature the DAO turns on (ours do).
    const oedit = versionAtLeast(version, [0, 10, 0]) && oeditAt !== undefined && Number(oeditAt) <= height;
    await attachJson('version and OEDIT', { version, oeditAt: oeditAt ?? null, oedit });

    const node = await m.stakeAndJail(op, o1, 'sp-oedit');
    const watch = [[op.address], [op.address, o1.address, o2.address]] as const;
    // Same stake (above servicer_stake_weight_ceiling, so no bin bump is needed) and URL: only the output changes.
    const edit = (outputAddress: string) => (s: ReturnType<Chain['sender']>) => s.nodeStake(op.publicKey, outputAddress, CHAINS, node.tokens.toString(), serviceUrl('sp-oedit'));

    await test.step('the operator changes the output O1 → O2: refused (OEDIT: pos 127 ErrDisallowedOutputAddressEdit; before it: pos 124 ErrUnequalOutputAddr), operator pays the fee', async () => {
      const c = await m.attempt('output edit O1→O2 by operator', op, edit(o2.address), ...watch);
      expect(c.outcome).toEqual(inBlock('pos', oedit ? 127 : 124));
      expect(c.after).toEqual(changed(c.before, c.after, { balances: { [op.address]: -MIN_TX_FEE } }));
      expect(c.after.nodes[op.address]?.output_address).toBe(o1.address);
    });

    await test.step('the output owner O1 changes it O1 → O2: accepted under OEDIT (O1 pays the fee, O2 is the output); refused by the ante without it', async () => {
      const c = await m.attempt('output edit O1→O2 by output O1', o1, edit(o2.address), ...watch);
      expect(c.outcome).toEqual(oedit ? ACCEPTED : ANTE_UNAUTHORIZED);
      expect(c.after).toEqual(changed(c.before, c.after, oedit ? { balances: { [o1.address]: -MIN_TX_FEE }, nodes: { [op.address]: { output_address: o2.address } } } : {}));
      expect(c.after.nodes[op.address]).toMatchObject({ status: STAKED, tokens: node.tokens.toString(), jailed: true });
    });

    await test.step('the former owner O1 tries to take it back (naming itself output): refused, it is neither operator nor current output (pos 125)', async () => {
      const c = await m.attempt('output edit O2→O1 by former output O1', o1, edit(o1.address), ...watch);
      // Without OEDIT O1 is still the output and the "edit" names the output it already has: accepted, nothing changes.
      expect(c.outcome).toEqual(oedit ? inBlock('pos', 125) : ACCEPTED);
      expect(c.after).toEqual(changed(c.before, c.after, { balances: { [o1.address]: -MIN_TX_FEE } }));
      expect(c.after.nodes[op.address]?.output_address).toBe(oedit ? o2.address : o1.address);
    });

    await test.step('the former owner O1 cannot unstake the node any more (pos 125); the node stays staked', async () => {
      const c = await m.attempt('unstake by former output O1', o1, (s) => s.nodeUnstake(op.address, o1.address), ...watch);
      expect(c.outcome).toEqual(oedit ? inBlock('pos', 125) : ACCEPTED);
      expect(c.after).toEqual(changed(c.before, c.after, { balances: { [o1.address]: -MIN_TX_FEE } }));
    });
    await m.publish('output address edit');
  });
});
