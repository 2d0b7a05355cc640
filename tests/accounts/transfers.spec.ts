import { test, expect } from '../../fixtures/pocket';
import { MIN_TX_FEE } from '../../network/spec';

test.describe('transfers', () => {
  test('a send to oneself costs exactly the fee @critical', async ({ chain, accounts }) => {
    const [me] = accounts(1);
    const before = await chain.balance(me.address);
    const tx = await chain.send(me, me.address, 777n);
    expect(tx.code).toBe(0);
    expect(tx.recipient.toLowerCase()).toBe(me.address);
    expect(await chain.balance(me.address, tx.height)).toBe(before - MIN_TX_FEE);
  });

  test('a send larger than the balance is committed as failed: the fee is paid, nothing moves @critical', async ({ chain, accounts }) => {
    const [from, to] = accounts(2);
    const fromBefore = await chain.balance(from.address);
    const toBefore = await chain.balance(to.address);
    const tx = await chain.send(from, to.address, fromBefore * 10n);
    expect(tx.code, 'sdk code 10: insufficient coins').toBe(10);
    expect(await chain.balance(from.address, tx.height)).toBe(fromBefore - MIN_TX_FEE);
    expect(await chain.balance(to.address, tx.height)).toBe(toBefore);
  });

  test('several sends in a row each move exactly their amount', async ({ chain, accounts }) => {
    const [from, to] = accounts(2);
    const fromBefore = await chain.balance(from.address);
    const toBefore = await chain.balance(to.address);
    const amounts = [1n, 10n, 100_000n];
    let last = 0;
    for (const amount of amounts) last = Math.max(last, (await chain.send(from, to.address, amount)).height);
    const total = amounts.reduce((a, b) => a + b, 0n);
    expect(await chain.balance(from.address, last)).toBe(fromBefore - total - MIN_TX_FEE * BigInt(amounts.length));
    expect(await chain.balance(to.address, last)).toBe(toBefore + total);
  });
});
