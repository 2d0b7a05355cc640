import { test, expect } from '../../fixtures/pocket';
import { MIN_TX_FEE } from '../../network/spec';

test('a send moves the exact amount and charges the exact fee @smoke @blocker', async ({ chain, accounts }) => {
  const [alice, bob] = accounts(2);
  const amount = 123_456n;
  const before = await test.step('read both balances', async () => ({ alice: await chain.balance(alice.address), bob: await chain.balance(bob.address) }));

  const tx = await test.step(`alice sends ${amount} upokt to bob`, () => chain.send(alice, bob.address, amount));
  expect(tx.code, `tx result: ${tx.log}`).toBe(0);
  expect(tx.messageType).toBe('send');

  await test.step('balances at the tx height changed by exactly amount and fee', async () => {
    expect(await chain.balance(alice.address, tx.height)).toBe(before.alice - amount - MIN_TX_FEE);
    expect(await chain.balance(bob.address, tx.height)).toBe(before.bob + amount);
  });
});
