/**
 * AppTransfer (feature key `AppTransfer`, RC-0.10+): an application's stake moves to another
 * address. pocket-core expresses it as an app MsgStake carrying the NEW owner's public key, no
 * chains and a zero amount, signed by the CURRENT app (x/apps/types/msg.go IsValidTransfer,
 * x/auth/ante.go ValidateTransaction + x/apps/keeper/appUtil.go IsMsgAppTransfer,
 * x/apps/handler.go handleStake → keeper/appStateChanges.go ValidateApplicationTransfer and
 * TransferApplication). The message is ours (fixtures/app-messages.ts): pocket-js has none.
 */
import { test, expect } from '../../fixtures/pocket';
import { expectRefused, type Chain } from '../../fixtures/chain';
import { withAppTransfer } from '../../fixtures/app-messages';
import { appState, STAKED, type AppState } from '../../fixtures/staking';
import { outcome, relayInLatestSession } from '../../fixtures/session-rollover';
import type { RawRpc } from '../../fixtures/rpc-client';
import { txResult } from '../../fixtures/tx-result';
import { maxRelaysForStake } from '../../network/genesis';
import { randomKey, type PocketKey } from '../../network/keys';
import { sessionHeightAt } from '../../network/relay-crypto';
import { MIN_TX_FEE } from '../../network/spec';

type AppRecord = AppState & { public_key: string; unstaking_time: string };

const appAt = (rpc: RawRpc, url: string, address: string, height: number) => appState(rpc, url, address, height) as Promise<AppRecord | undefined>;

async function stakeApp(chain: Chain, app: PocketKey, chains: string[], stake: bigint) {
  const tx = await chain.submitAndCommit(app, (s) => s.appStake(app.publicKey, chains, stake.toString()));
  expect(tx.code, `${app.address} stakes as an app`).toBe(0);
  return tx;
}

async function appStakedSupply(rpc: RawRpc, url: string, height: number): Promise<string> {
  const res = await rpc.post<{ app_staked: string }>(url, '/v1/query/supply', { height });
  expect(res.status).toBe(200);
  return res.data.app_staked;
}

test.describe('application transfer (AppTransfer)', () => {
  test('a transfer moves the whole application to the new address; only the signer pays the fee @critical', async ({ network, chain, rawRpc, accounts }) => {
    expect(network.features.AppTransfer, 'the network runs AppTransfer').toBeGreaterThan(0);
    const url = network.node(1).rpcUrl;
    const [oldOwner, newOwner] = accounts(2);
    const stake = 7_000_000_000n;
    const staked = await stakeApp(chain, oldOwner, ['0001', '0021'], stake);
    const original = await appAt(rawRpc, url, oldOwner.address, staked.height);
    expect(original).toMatchObject({ status: STAKED, staked_tokens: stake.toString(), chains: ['0001', '0021'], max_relays: maxRelaysForStake(stake).toString(), jailed: false });

    const tx = await chain.submitAndCommit(oldOwner, withAppTransfer(chain, newOwner.publicKey));
    expect(tx, 'the transfer is an app_stake message signed by the current app').toMatchObject({ code: 0, messageType: 'app_stake', signer: oldOwner.address.toUpperCase() });

    await test.step('the new address is the application, with everything the old one had', async () => {
      const moved = await appAt(rawRpc, url, newOwner.address, tx.height);
      expect(moved).toEqual({ ...original!, address: newOwner.address, public_key: newOwner.publicKey });
    });
    await test.step('the old address is no longer an application', async () => {
      expect(await appAt(rawRpc, url, oldOwner.address, tx.height)).toBeUndefined();
      const listed = await rawRpc.post<{ result: Array<{ address: string }> }>(url, '/v1/query/apps', { height: tx.height, opts: { page: 1, per_page: 1000 } });
      const addresses = listed.data.result.map((a) => a.address);
      expect(addresses).toContain(newOwner.address);
      expect(addresses).not.toContain(oldOwner.address);
    });
    await test.step('balances: the signer pays the 10000 upokt app_stake fee, the new owner is untouched, no stake moves', async () => {
      expect(await chain.balance(oldOwner.address, tx.height)).toBe((await chain.balance(oldOwner.address, tx.height - 1)) - MIN_TX_FEE);
      expect(await chain.balance(newOwner.address, tx.height)).toBe(await chain.balance(newOwner.address, tx.height - 1));
      expect(await appStakedSupply(rawRpc, url, tx.height)).toBe(await appStakedSupply(rawRpc, url, tx.height - 1));
    });
    await test.step('from the next session, servicers serve the new owner\'s relays and refuse the old owner\'s (app not found, code 45)', async () => {
      const bps = network.spec.timing.blocksPerSession;
      await chain.waitForHeight(sessionHeightAt(tx.height, bps) + bps);
      const forNew = await relayInLatestSession(network, rawRpc, newOwner);
      expect(forNew.sessionHeight, 'a session that starts after the transfer').toBeGreaterThan(tx.height);
      expect(outcome(forNew)).toEqual({ status: 200, result: '0x7a69' });
      expect(outcome(await relayInLatestSession(network, rawRpc, oldOwner))).toEqual({ status: 400, error: { code: 45, codespace: 'pocketcore', message: 'the app could not be found in the world state' } });
    });
  });

  test('a transfer to an address that already is an application fails in the block with application code 120; both apps stay as they were', async ({ network, chain, rawRpc, accounts }) => {
    const url = network.node(1).rpcUrl;
    const [source, target] = accounts(2);
    await stakeApp(chain, source, ['0021'], 3_000_000_000n);
    const last = await stakeApp(chain, target, ['0001'], 4_000_000_000n);
    const sourceBefore = await appAt(rawRpc, url, source.address, last.height);
    const targetBefore = await appAt(rawRpc, url, target.address, last.height);

    const tx = await chain.submitAndCommit(source, withAppTransfer(chain, target.publicKey));
    // ValidateApplicationTransfer refuses (target exists: code 110) and the handler falls back to
    // validating the message as a stake of 0 by the target, an edit below its stake: code 120.
    expect(await txResult(rawRpc, url, tx.hash)).toMatchObject({ code: 120, codespace: 'application', messageType: 'app_stake', signer: source.address.toUpperCase() });
    expect(await appAt(rawRpc, url, source.address, tx.height)).toEqual(sourceBefore);
    expect(await appAt(rawRpc, url, target.address, tx.height)).toEqual(targetBefore);
    expect(await chain.balance(source.address, tx.height), 'the fee is charged: the ante handler accepted the signer').toBe((await chain.balance(source.address, tx.height - 1)) - MIN_TX_FEE);
    expect(await chain.balance(target.address, tx.height)).toBe(await chain.balance(target.address, tx.height - 1));
  });

  test('a key that is not a staked application cannot transfer: refused at submission (signature verification failed, sdk code 4)', async ({ chain, accounts }) => {
    const [stranger] = accounts(1);
    const newOwner = randomKey();
    const before = await chain.balance(stranger.address);
    const refusal = await expectRefused(chain.submit(stranger, withAppTransfer(chain, newOwner.publicKey)));
    expect(refusal).toMatchObject({ codespace: 'sdk', code: 4 });
    expect(refusal.message).toContain('signature verification failed');
    await chain.waitForHeight((await chain.height()) + 1);
    expect(await chain.balance(stranger.address)).toBe(before);
  });

  test('the new owner cannot pull an application to itself: signed by the target key it is a zero stake, refused with application code 111', async ({ network, chain, rawRpc, accounts }) => {
    const url = network.node(1).rpcUrl;
    const [app, claimant] = accounts(2);
    const staked = await stakeApp(chain, app, ['0021'], 3_000_000_000n);
    const appBefore = await appAt(rawRpc, url, app.address, staked.height);

    const tx = await chain.submitAndCommit(claimant, withAppTransfer(chain, claimant.publicKey));
    expect(await txResult(rawRpc, url, tx.hash)).toMatchObject({ code: 111, codespace: 'application', messageType: 'app_stake', signer: claimant.address.toUpperCase() });
    expect(await appAt(rawRpc, url, claimant.address, tx.height)).toBeUndefined();
    expect(await appAt(rawRpc, url, app.address, tx.height)).toEqual(appBefore);
    expect(await chain.balance(claimant.address, tx.height)).toBe((await chain.balance(claimant.address, tx.height - 1)) - MIN_TX_FEE);
  });
});
