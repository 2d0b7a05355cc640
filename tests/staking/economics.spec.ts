/**
 * Economics to the upokt, issue #16 family 6 (the two cheap items). Each test runs on a private
 * network, so that nothing but the test moves the balances it asserts.
 *
 * 1. Downtime slash, exact burn. pocket-core RC-0.12.0 x/nodes/keeper/slash.go: BeginBlocker
 *    calls handleValidatorSignature for every vote of the last commit; once a validator's missed
 *    count passes signed_blocks_window − min_signed_per_window, slash(power, slash_fraction_downtime)
 *    burns
 *        burn = TruncateInt( TokensFromConsensusPower(power) × fraction )
 *             = floor( floor(S / 1e6) × 1e6 × fraction )          (power = floor(tokens / 1e6))
 *    from the node's tokens and, through burnStakedTokens, from the staked_tokens_pool module
 *    account and the total supply; then JailValidator and jailed_until = block time +
 *    downtime_jail_duration. A node staked with S = 20 000 123 456 upokt (its power truncates the
 *    123 456) and slash_fraction_downtime 0.01 loses exactly 200 000 000 upokt.
 *
 * 2. The proposer's fee cut, exact. x/nodes/keeper/abci.go BeginBlocker of block h+1 calls
 *    blockReward(previous proposer = proposer of h): the fee_collector's balance F (the fees of
 *    h's transactions) is split by splitFeesCollected:
 *        daoCut      = TruncateInt( F × Quo(dao, dao + proposer) )   (Quo: 18 decimals, rounded half-even)
 *        proposerCut = F − daoCut
 *    daoCut goes to the dao module account, proposerCut to the proposer's output address (or its
 *    address), split with its reward delegators (none here). With dao 10, proposer 1 and
 *    F = 10 007: daoCut = 9 097, proposerCut = 910.
 */
import { test, expect } from '../../fixtures/pocket';
import { privateNetwork } from '../../fixtures/private-network';
import type { RawRpc } from '../../fixtures/rpc-client';
import { attachJson } from '../../fixtures/allure';
import { firstJailedHeight, nodeState, STAKED } from '../../fixtures/staking';
import { txResult } from '../../fixtures/tx-result';
import { FEE_COLLECTOR } from '../../fixtures/reward-ledger';
import { MODULE_ACCOUNTS } from '../../network/audit/chain';
import { nanos } from '../../fixtures/chain-time';


const PRECISION = 10n ** 18n;

/** An 18-decimal sdk.Dec string as an integer scaled by 1e18. */
function dec18(s: string): bigint {
  const [int, frac = ''] = s.split('.');
  return BigInt(int) * PRECISION + BigInt(frac.padEnd(18, '0').slice(0, 18));
}

/** types/decimal.go chopPrecisionAndRound: x / 1e18 rounded half to even (x ≥ 0). */
function chopAndRound(x: bigint): bigint {
  const q = x / PRECISION;
  const r = x % PRECISION;
  const half = PRECISION / 2n;
  if (r < half) return q;
  if (r > half) return q + 1n;
  return q % 2n === 0n ? q : q + 1n;
}


/** Raw reads at a height, each required to answer 200. */
class Reads {
  constructor(private readonly rpc: RawRpc, private readonly url: string) {}

  async post<T>(route: string, body: Record<string, unknown>): Promise<T> {
    const res = await this.rpc.post<T>(this.url, route, body);
    expect(res.status, `${route} ${JSON.stringify(body)}: ${JSON.stringify(res.data).slice(0, 300)}`).toBe(200);
    return res.data;
  }

  async balance(address: string, height: number): Promise<bigint> {
    return BigInt((await this.post<{ balance: number | string }>('/v1/query/balance', { address, height })).balance);
  }

  async supply(height: number): Promise<{ total: bigint; nodeStaked: bigint }> {
    const s = await this.post<{ total: string; node_staked: string }>('/v1/query/supply', { height });
    return { total: BigInt(s.total), nodeStaked: BigInt(s.node_staked) };
  }

  async nodeParams(height: number): Promise<{ slash_fraction_downtime: string; downtime_jail_duration: string | number; dao_allocation: string | number; proposer_allocation: string | number }> {
    return this.post('/v1/query/nodeparams', { height });
  }

  async blockHeader(height: number): Promise<{ time: string; proposer_address: string }> {
    return (await this.post<{ block: { header: { time: string; proposer_address: string } } }>('/v1/query/block', { height })).block.header;
  }

  /** The block's transactions: hash, signer and fee. */
  async blockTxs(height: number): Promise<Array<{ hash: string; signer: string; fee: bigint }>> {
    const res = await this.post<{ txs: Array<{ hash: string; tx_result: { signer: string }; stdTx: { fee: Array<{ amount: string }> } }> | null }>('/v1/query/blocktxs', { height, per_page: 1000 });
    return (res.txs ?? []).map((t) => ({ hash: t.hash.toLowerCase(), signer: t.tx_result.signer.toLowerCase(), fee: BigInt(t.stdTx.fee[0]?.amount ?? '0') }));
  }
}

const CHAINS = ['00e5'];
// pocket-js refuses http:// service URLs; pocket-core only stores these.
const serviceUrl = (host: string) => new URL(`https://${host}.pokt.local:443`);

test.describe('economics to the upokt', () => {
  test('downtime slash: a jailed phantom servicer loses exactly floor(floor(S/1e6)·1e6·slash_fraction_downtime), burned from the staked pool and the supply @critical', async ({ startNetwork, sdk, recorder, rawRpc }) => {
    test.setTimeout(300_000);
    const FRACTION = '0.010000000000000000';
    const { network, chain, accounts } = await privateNetwork(startNetwork, sdk, recorder, (b) => b.withGenesisOverrides({ pos: { params: { slash_fraction_downtime: FRACTION } } }));
    const url = network.node(1).rpcUrl;
    const q = new Reads(rawRpc, url);
    const [op] = accounts(1);
    // The remainder below 1e6 is not part of the power, so it is never slashed.
    const S = 20_000_123_456n;
    const EXPECTED_BURN = 200_000_000n;

    const staked = await test.step('stake a servicer with no process behind it', async () => {
      const tx = await chain.submitAndCommit(op, (s) => s.nodeStake(op.publicKey, op.address, CHAINS, S.toString(), serviceUrl('phantom-slash')));
      const r = await txResult(rawRpc, url, tx.hash);
      expect({ code: r.code, codespace: r.codespace }).toEqual({ code: 0, codespace: '' });
      expect(await nodeState(rawRpc, url, op.address, tx.height)).toMatchObject({ status: STAKED, tokens: S.toString(), jailed: false });
      return tx;
    });

    const jailHeight = await test.step('it is jailed for downtime', async () => {
      const h = await firstJailedHeight(rawRpc, url, op.address, () => chain.height());
      expect(h).toBeGreaterThan(staked.height);
      return h;
    });

    await test.step(`burn = floor(floor(S/1e6)·1e6 · ${FRACTION}) = ${EXPECTED_BURN}, from the node, the staked pool and the supply in block ${jailHeight}`, async () => {
      const params = await q.nodeParams(jailHeight);
      expect(params.slash_fraction_downtime).toBe(FRACTION);
      const power = S / 1_000_000n;
      const burn = (power * 1_000_000n * dec18(params.slash_fraction_downtime)) / PRECISION;
      expect(burn).toBe(EXPECTED_BURN);

      const before = { node: await nodeState(rawRpc, url, op.address, jailHeight - 1), supply: await q.supply(jailHeight - 1), pool: await q.balance(MODULE_ACCOUNTS.nodeStakedPool, jailHeight - 1) };
      const after = { node: await nodeState(rawRpc, url, op.address, jailHeight), supply: await q.supply(jailHeight), pool: await q.balance(MODULE_ACCOUNTS.nodeStakedPool, jailHeight) };
      await attachJson('slash around the jailing', JSON.parse(JSON.stringify({ jailHeight, before, after }, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))));
      // No transaction moves stake in the jailing block: the slash is the only change.
      expect(await q.blockTxs(jailHeight)).toEqual([]);
      expect(before.node).toMatchObject({ status: STAKED, tokens: S.toString(), jailed: false });
      expect(after.node).toMatchObject({ status: STAKED, tokens: (S - EXPECTED_BURN).toString(), jailed: true });
      expect(after.pool).toBe(before.pool - EXPECTED_BURN);
      expect(after.supply).toEqual({ total: before.supply.total - EXPECTED_BURN, nodeStaked: before.supply.nodeStaked - EXPECTED_BURN });
      expect(after.supply.nodeStaked).toBe(after.pool);
    });

    await test.step('jailed_until = the jailing block\'s time + downtime_jail_duration', async () => {
      const info = await q.post<{ result: Array<{ address: string; jailed_until: string }> }>('/v1/query/signinginfo', { height: jailHeight, address: op.address });
      expect(info.result).toHaveLength(1);
      const duration = BigInt(String((await q.nodeParams(jailHeight)).downtime_jail_duration));
      expect(duration).toBe(BigInt(network.spec.timing.downtimeJailSeconds) * 1_000_000_000n);
      expect(nanos(info.result[0].jailed_until)).toBe(nanos((await q.blockHeader(jailHeight)).time) + duration);
    });

    await test.step('slashed once: three blocks later (past the validator update delay) its tokens are unchanged', async () => {
      // nodeState waits until node1 is a block past jailHeight + 3 (that block's state may still be committing).
      expect(await nodeState(rawRpc, url, op.address, jailHeight + 3)).toMatchObject({ status: STAKED, tokens: (S - EXPECTED_BURN).toString(), jailed: true });
    });
  });

  test('fee split: the fees of block h go in block h+1 to the DAO (floor(F·dao/(dao+proposer))) and to h\'s proposer (the rest) @critical', async ({ startNetwork, sdk, recorder, rawRpc }) => {
    test.setTimeout(240_000);
    const { network, chain, accounts } = await privateNetwork(startNetwork, sdk, recorder);
    const url = network.node(1).rpcUrl;
    const q = new Reads(rawRpc, url);
    const [from, to] = accounts(2);
    const F = 10_007n;
    const AMOUNT = 1_000_000n;
    const DAO_CUT = 9_097n;
    const PROPOSER_CUT = 910n;

    const tx = await test.step(`send ${AMOUNT} upokt with fee ${F}`, async () => {
      const committed = await chain.send(from, to.address, AMOUNT, { fee: F });
      const r = await txResult(rawRpc, url, committed.hash);
      expect({ code: r.code, codespace: r.codespace }).toEqual({ code: 0, codespace: '' });
      await network.waitForHeight(committed.height + 1, { nodes: [network.node(1)] });
      return committed;
    });
    const h = tx.height;

    await test.step(`block ${h} holds only this tx: the fee collector holds exactly F; block ${h + 1} holds none`, async () => {
      expect(await q.blockTxs(h)).toEqual([{ hash: tx.hash.toLowerCase(), signer: from.address, fee: F }]);
      expect(await q.blockTxs(h + 1)).toEqual([]);
      expect(await q.balance(from.address, h)).toBe((await q.balance(from.address, h - 1)) - AMOUNT - F);
      expect(await q.balance(to.address, h)).toBe((await q.balance(to.address, h - 1)) + AMOUNT);
      expect(await q.balance(FEE_COLLECTOR, h)).toBe(F);
      expect(await q.balance(FEE_COLLECTOR, h + 1)).toBe(0n);
    });

    await test.step(`block ${h + 1} pays ${DAO_CUT} to the DAO and ${PROPOSER_CUT} to block ${h}'s proposer; the supply does not move`, async () => {
      const params = await q.nodeParams(h + 1);
      const dao = BigInt(String(params.dao_allocation));
      const prop = BigInt(String(params.proposer_allocation));
      expect({ dao, prop }).toEqual({ dao: 10n, prop: 1n });
      // splitFeesCollected: Quo(dao, dao + proposer) to 18 decimals, then F × it, truncated.
      const share = chopAndRound((dao * PRECISION * PRECISION * PRECISION) / ((dao + prop) * PRECISION));
      const daoCut = (F * share) / PRECISION;
      expect({ daoCut, proposerCut: F - daoCut }).toEqual({ daoCut: DAO_CUT, proposerCut: PROPOSER_CUT });

      const proposerAddress = (await q.blockHeader(h)).proposer_address.toLowerCase();
      const proposer = await q.post<{ address: string; output_address?: string; reward_delegators?: Record<string, number> | null }>('/v1/query/node', { address: proposerAddress, height: h });
      expect(proposer.reward_delegators ?? {}, 'no reward delegators share the proposer cut').toEqual({});
      const recipient = (proposer.output_address || proposer.address).toLowerCase();
      expect([from.address, to.address]).not.toContain(recipient);

      const observed = {
        dao: (await q.balance(MODULE_ACCOUNTS.dao, h + 1)) - (await q.balance(MODULE_ACCOUNTS.dao, h)),
        proposer: (await q.balance(recipient, h + 1)) - (await q.balance(recipient, h)),
        supply: (await q.supply(h + 1)).total - (await q.supply(h)).total,
      };
      await attachJson('fee split', { height: h, fee: F.toString(), proposer: proposerAddress, recipient, observed: Object.fromEntries(Object.entries(observed).map(([k, v]) => [k, v.toString()])) });
      expect(observed).toEqual({ dao: DAO_CUT, proposer: PROPOSER_CUT, supply: 0n });
    });
  });
});
