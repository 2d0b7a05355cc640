/**
 * PIP-22 on the chain where it is on, issue #16 family 7 (activation and VEDIT).
 *
 * pocket-core RC-0.12.0:
 * - x/nodes/module.go: in the block where RSCAL activates, the four stake-weight params are set
 *   to x/nodes/types/params.go's defaults (floor multiplier 15 000 000 000 upokt, weight
 *   multiplier 1, ceiling 15 000 000 000 upokt, exponent 1), whatever the state held before.
 * - x/nodes/keeper/valStateChanges.go ValidateEditStake, with RSCAL and VEDIT on: an edit to an
 *   amount under the ceiling must reach a higher bin, i.e. amount − (amount mod floor multiplier)
 *   must exceed the current stake; otherwise ErrSameBinEditStake (pos 122). At or above the
 *   ceiling any raise is accepted. (Issue #16 expected "accepted but no change"; the source
 *   refuses it, and that is what is asserted.)
 */
import { chainOn, test, expect } from '../../fixtures/pocket';
import { attachJson } from '../../fixtures/allure';
import { Governance } from '../../fixtures/governance';
import { stakeFields, withNodeStake } from '../../fixtures/node-messages';
import { nodeState, STAKED } from '../../fixtures/staking';
import { txResult } from '../../fixtures/tx-result';
import type { RawRpc } from '../../fixtures/rpc-client';

interface Pip22Params {
  servicer_stake_floor_multipler: string | number;
  servicer_stake_weight_multipler: string;
  servicer_stake_weight_ceiling: string | number;
  servicer_stake_floor_multiplier_exponent: string;
}

async function pip22Params(rpc: RawRpc, url: string, height: number) {
  const res = await rpc.post<Pip22Params>(url, '/v1/query/nodeparams', { height });
  expect(res.status, `nodeparams at ${height}`).toBe(200);
  const p = res.data;
  return {
    floorMultiplier: String(p.servicer_stake_floor_multipler),
    weightMultiplier: p.servicer_stake_weight_multipler,
    ceiling: String(p.servicer_stake_weight_ceiling),
    exponent: p.servicer_stake_floor_multiplier_exponent,
  };
}

const DEFAULTS = { floorMultiplier: '15000000000', weightMultiplier: '1.000000000000000000', ceiling: '15000000000', exponent: '1.000000000000000000' };
const GENESIS = { floorMultiplier: '1000000000', weightMultiplier: '2.000000000000000000', ceiling: '90000000000', exponent: '0.500000000000000000' };

test.describe('PIP-22 (RSCAL, VEDIT)', () => {
  test('the block where RSCAL activates sets the four stake-weight params to their defaults, replacing what genesis held', async ({ startNetwork, rawRpc }) => {
    const net = await startNetwork((b) => b.withAccounts(1).withGenesisOverrides({
      pos: { params: { servicer_stake_floor_multipler: GENESIS.floorMultiplier, servicer_stake_weight_multipler: GENESIS.weightMultiplier, servicer_stake_weight_ceiling: GENESIS.ceiling, servicer_stake_floor_multiplier_exponent: GENESIS.exponent } },
    }));
    const at = net.features.RSCAL;
    expect(at, 'the network turns RSCAL on').toBeGreaterThan(1);
    const url = net.node(1).rpcUrl;
    await net.waitForHeight(at + 1, { nodes: [net.node(1)] });
    // Before activation RC-0.12.0 answers 0 for all four although genesis holds GENESIS (seen, not
    // traced); what matters here is that the block of RSCAL replaces the earlier values.
    const before = await pip22Params(rawRpc, url, at - 1);
    await attachJson('PIP-22 params before RSCAL', { height: at - 1, before, genesis: GENESIS });
    expect(before, `before RSCAL (height ${at - 1}): not yet the defaults`).not.toEqual(DEFAULTS);
    expect(await pip22Params(rawRpc, url, at), `RSCAL's height ${at}: defaults`).toEqual(DEFAULTS);
    expect(await pip22Params(rawRpc, url, at + 1)).toEqual(DEFAULTS);
  });

  test('VEDIT: an edit stake that stays in its bin is refused (pos 122) and changes nothing; one into a higher bin, or at or over the ceiling, sets the stake exactly', async ({ startNetwork, sdk, recorder, rawRpc }) => {
    test.setTimeout(180_000);
    const net = await startNetwork((b) => b.withAccounts(1));
    expect(net.features.RSCAL, 'RSCAL on').toBeGreaterThan(0);
    expect(net.features.VEDIT, 'VEDIT on').toBeGreaterThan(0);
    const chain = chainOn(sdk, net, recorder);
    const url = net.node(1).rpcUrl;
    const node = net.node(4);
    const CEILING = 200_000_000_000n;

    await test.step(`the DAO raises the ceiling to ${CEILING} so bins exist above the 100 000 POKT genesis stake`, async () => {
      const tx = await new Governance(chain).changeParam(net.keys.daoOwner, 'pos/ServicerStakeWeightCeiling', JSON.stringify(CEILING.toString()));
      expect(tx.code, tx.log).toBe(0);
      expect(await pip22Params(rawRpc, url, tx.height)).toEqual({ ...DEFAULTS, ceiling: CEILING.toString() });
    });

    const edit = async (amount: bigint) => {
      const before = (await nodeState(rawRpc, url, node.address))!;
      const tx = await chain.submitAndCommit(node.key, withNodeStake(chain, stakeFields(node.key, { chains: before.chains, amount, serviceUrl: before.service_url })));
      const result = await txResult(rawRpc, url, tx.hash);
      return { result, before: BigInt((await nodeState(rawRpc, url, node.address, tx.height - 1))!.tokens), after: (await nodeState(rawRpc, url, node.address, tx.height))! };
    };
    // Bins of 15 000 POKT: 100 000 POKT floors to 90 000 (bin 6), 105 000 is bin 7's floor.
    const cases: Array<{ amount: bigint; accepted: boolean; why: string }> = [
      { amount: 104_999_999_999n, accepted: false, why: 'floors to 90 000 POKT ≤ the 100 000 staked: same bin' },
      { amount: 105_000_000_000n, accepted: true, why: 'floors to 105 000 POKT > 100 000: next bin' },
      { amount: 119_999_999_999n, accepted: false, why: 'floors to 105 000 POKT ≤ the 105 000 staked: same bin' },
      { amount: 210_000_000_000n, accepted: true, why: 'at or over the ceiling: no bin rule' },
      { amount: 210_000_000_001n, accepted: true, why: 'over the ceiling, raised by 1 upokt: no bin rule' },
    ];
    for (const c of cases) {
      await test.step(`edit to ${c.amount} upokt (${c.why}): ${c.accepted ? 'accepted' : 'refused, pos 122'}`, async () => {
        const { result, before, after } = await edit(c.amount);
        expect({ code: result.code, codespace: result.codespace }).toEqual(c.accepted ? { code: 0, codespace: '' } : { code: 122, codespace: 'pos' });
        expect(after).toMatchObject({ status: STAKED, tokens: (c.accepted ? c.amount : before).toString() });
      });
    }
  });
});
