import { test, expect } from '../../fixtures/pocket';
import { maxRelaysForStake } from '../../network/genesis';
import { MIN_TX_FEE } from '../../network/spec';
import { appState, STAKED, UNSTAKING, waitForStatus, waitUntilGone } from '../../fixtures/staking';

test.describe('application staking', () => {
  test('an app stake sets max_relays from stake and base_relays_per_pokt; an edit raises both @critical', async ({ network, chain, rawRpc, accounts }) => {
    const [app] = accounts(1);
    const before = await chain.balance(app.address);
    const stake = 5_000_000_000n;
    const tx = await chain.submitAndCommit(app, (s) => s.appStake(app.publicKey, ['0001'], stake.toString()));
    expect(tx.code).toBe(0);
    expect(await appState(rawRpc, network.node(1).rpcUrl, app.address)).toMatchObject({ status: STAKED, staked_tokens: stake.toString(), chains: ['0001'], max_relays: maxRelaysForStake(stake).toString() });
    expect(await chain.balance(app.address, tx.height)).toBe(before - stake - MIN_TX_FEE);

    const raised = await chain.submitAndCommit(app, (s) => s.appStake(app.publicKey, ['0001', '0021'], (stake * 2n).toString()));
    expect(raised.code).toBe(0);
    expect(await appState(rawRpc, network.node(1).rpcUrl, app.address)).toMatchObject({ staked_tokens: (stake * 2n).toString(), chains: ['0001', '0021'], max_relays: maxRelaysForStake(stake * 2n).toString() });
    const lowered = await chain.submitAndCommit(app, (s) => s.appStake(app.publicKey, ['0001'], stake.toString()));
    expect(lowered.code, 'lowering an app stake is refused (application code 120)').toBe(120);
  });

  test('an app stake below app_stake_minimum is refused', async ({ network, chain, rawRpc, accounts }) => {
    const [app] = accounts(1);
    const min = BigInt(network.genesis.app_state.application.params.app_stake_minimum);
    const tx = await chain.submitAndCommit(app, (s) => s.appStake(app.publicKey, ['0001'], (min - 1n).toString()));
    expect(tx.code, 'application code 111').toBe(111);
    expect(await appState(rawRpc, network.node(1).rpcUrl, app.address)).toBeUndefined();
  });

  test('an app unstakes after unstaking_time and gets its stake back', async ({ network, chain, rawRpc, accounts }) => {
    const [app] = accounts(1);
    const stake = 3_000_000_000n;
    expect((await chain.submitAndCommit(app, (s) => s.appStake(app.publicKey, ['0021'], stake.toString()))).code).toBe(0);
    const afterStake = await chain.balance(app.address);
    expect((await chain.submitAndCommit(app, (s) => s.appUnstake(app.address))).code).toBe(0);
    await waitForStatus(() => appState(rawRpc, network.node(1).rpcUrl, app.address), UNSTAKING, 'the app to be unstaking');
    await waitUntilGone(() => appState(rawRpc, network.node(1).rpcUrl, app.address), 'the app to finish unstaking');
    expect(await chain.balance(app.address)).toBe(afterStake - MIN_TX_FEE + stake);
  });
});
