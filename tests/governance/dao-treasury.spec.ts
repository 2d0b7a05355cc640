import { test, expect } from '../../fixtures/pocket';
import { ok } from '../../fixtures/chain';
import { Governance } from '../../fixtures/governance';

test.describe('DAO treasury (pocket-js with our typed gov messages)', () => {
  test('a DAO transfer moves the amount from the DAO to the recipient @critical', async ({ network, chain, sdk, accounts }) => {
    const [recipient] = accounts(1);
    const gov = new Governance(chain);
    const amount = 1_234_567n;
    const before = ok(sdk, await chain.rpc.query.getSupply(BigInt(0)), 'supply');
    const recipientBefore = await chain.balance(recipient.address);
    const tx = await gov.transfer(network.keys.daoOwner, recipient.address, amount);
    expect(tx.code, tx.log).toBe(0);
    const after = ok(sdk, await chain.rpc.query.getSupply(BigInt(tx.height)), 'supply after');
    expect(await chain.balance(recipient.address, tx.height)).toBe(recipientBefore + amount);
    // The DAO also receives its share of fees every block, so it shrinks by at most the amount.
    expect(BigInt(after.dao.toString())).toBeLessThanOrEqual(BigInt(before.dao.toString()) - amount + 10_000_000n);
    expect(BigInt(after.dao.toString())).toBeGreaterThanOrEqual(BigInt(before.dao.toString()) - amount);
  });

  test('a DAO burn lowers the DAO and the total supply by the amount', async ({ network, chain, sdk }) => {
    const gov = new Governance(chain);
    const amount = 5_000_000n;
    const h0 = await chain.height();
    const before = ok(sdk, await chain.rpc.query.getSupply(BigInt(h0)), 'supply');
    const tx = await gov.burn(network.keys.daoOwner, amount);
    expect(tx.code, tx.log).toBe(0);
    const prev = ok(sdk, await chain.rpc.query.getSupply(BigInt(tx.height - 1)), 'supply before the burn block');
    const after = ok(sdk, await chain.rpc.query.getSupply(BigInt(tx.height)), 'supply at the burn block');
    expect(BigInt(prev.total.toString()) - BigInt(after.total.toString())).toBe(amount);
    expect(BigInt(after.total.toString())).toBeLessThan(BigInt(before.total.toString()));
  });

  test('a DAO transfer signed by an account that is not the DAO owner is refused @critical', async ({ network, chain, accounts }) => {
    const [impostor, recipient] = accounts(2);
    const gov = new Governance(chain);
    const before = await chain.balance(recipient.address);
    const tx = await gov.transfer(impostor, recipient.address, 1_000n);
    expect(tx.code, 'gov code: unauthorized DAO action').not.toBe(0);
    expect(await chain.balance(recipient.address, tx.height)).toBe(before);
  });
});
