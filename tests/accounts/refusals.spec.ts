import { test, expect } from '../../fixtures/pocket';
import { expectRefused } from '../../fixtures/chain';
import { randomKey } from '../../network/keys';
import { MIN_TX_FEE } from '../../network/spec';

test.describe('transactions the node refuses, leaving balances unchanged', () => {
  test('a fee below the 10000 upokt minimum is refused @critical', async ({ chain, accounts }) => {
    const [from, to] = accounts(2);
    const before = await chain.balance(from.address);
    const refusal = await expectRefused(chain.submit(from, (s) => s.send(from.address, to.address, '1'), { fee: MIN_TX_FEE - 1n }));
    expect(refusal).toMatchObject({ codespace: 'auth', code: 4 });
    expect(refusal.message).toContain('Expected: 10000upokt');
    await chain.waitForHeight((await chain.height()) + 1);
    expect(await chain.balance(from.address)).toBe(before);
  });

  test('a memo over max_memo_characters is refused', async ({ chain, accounts, network }) => {
    const [from, to] = accounts(2);
    const max = Number(network.genesis.app_state.auth.params.max_memo_characters);
    const refusal = await expectRefused(chain.submit(from, (s) => s.send(from.address, to.address, '1'), { memo: 'm'.repeat(max + 1) }));
    expect(refusal).toMatchObject({ codespace: 'auth', code: 1 });
    expect(refusal.message).toContain(`maximum number of characters is ${max} but received ${max + 1}`);
    const okTx = await chain.send(from, to.address, 1n, { memo: 'm'.repeat(max) });
    expect(okTx.code, 'a memo of exactly the limit is fine').toBe(0);
  });

  test('a sender with no account on chain is refused', async ({ chain, accounts }) => {
    const [to] = accounts(1);
    const ghost = randomKey();
    const refusal = await expectRefused(chain.submit(ghost, (s) => s.send(ghost.address, to.address, '1')));
    expect(refusal).toMatchObject({ codespace: 'sdk', code: 9 });
    expect(refusal.message).toContain(`account ${ghost.address} does not exist`);
  });

  test('a transaction signed for another chain id is refused @critical', async ({ chain, accounts, sdk, pocket }) => {
    const [from, to] = accounts(2);
    const before = await chain.balance(from.address);
    const otherChain = new (chain.constructor as typeof import('../../fixtures/chain').Chain)(sdk, pocket, 'some-other-chain', 1000);
    const refusal = await expectRefused(otherChain.submit(from, (s) => s.send(from.address, to.address, '1')));
    expect(refusal).toMatchObject({ codespace: 'sdk', code: 4 });
    expect(refusal.message).toContain('signature verification failed');
    expect(await chain.balance(from.address)).toBe(before);
  });
});
