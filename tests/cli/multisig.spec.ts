/**
 * Multisig through the CLI (`accounts create-multi-public`, `build-MS-Tx`, `sign-ms-next`,
 * `sign-ms-tx`, `send-raw-tx`): a 2-of-2 address is funded, then spends with both signatures.
 * The signer keys need no funds; they only sign, from node1's keybase (passphrase by --pwd).
 */
import { test, expect } from '../../fixtures/pocket';
import { pocketCli } from '../../fixtures/cli';
import { deriveKey, type PocketKey } from '../../network/keys';
import { MIN_TX_FEE } from '../../network/spec';
import type { PocketNode } from '../../network/pocket-node';
import { CLI_PWD, importWithPassphrase, multisigTxOf, txHashOf } from '../../fixtures/cli-keys';

async function multisigAddress(node: PocketNode, signers: PocketKey[]): Promise<{ address: string; publicKey: string }> {
  const res = await pocketCli(node, ['accounts', 'create-multi-public', signers.map((k) => k.publicKey).join(',')]);
  const m = res.stdout.match(/Multisig Public Key:\s*\n([0-9a-f]+)\s*\nWith Address:\s*\n([0-9A-Fa-f]{40})/);
  expect(m, res.stdout).not.toBeNull();
  return { publicKey: m![1], address: m![2].toLowerCase() };
}

const sendMsg = (from: string, to: string, amount: bigint) => JSON.stringify({ type: 'pos/Send', value: { from_address: from, to_address: to, amount: amount.toString() } });

test.describe('multisig (pocket accounts)', () => {
  for (const second of ['sign-ms-next', 'sign-ms-tx'] as const) {
    test(`a 2-of-2 multisig address spends with build-MS-Tx + ${second} + send-raw-tx`, async ({ network, chain, accounts }) => {
      const [funder, recipient] = accounts(2);
      const node = network.node(1);
      const signers = [deriveKey('cli', `ms-a-${second}-${Date.now()}`), deriveKey('cli', `ms-b-${second}-${Date.now()}`)];
      for (const k of signers) await importWithPassphrase(node, k);
      const ms = await multisigAddress(node, signers);
      for (const k of signers) expect(ms.publicKey, 'the multisig key embeds every signer key in order').toContain(k.publicKey);

      const funding = 2_000_000n;
      const funded = await chain.send(funder, ms.address, funding);
      expect(funded.code).toBe(0);
      const recipientBefore = await chain.balance(recipient.address);
      const amount = 123_456n;
      const pubkeys = signers.map((k) => k.publicKey).join(',');

      const built = await pocketCli(node, ['accounts', 'build-MS-Tx', signers[0].address, sendMsg(ms.address, recipient.address, amount), pubkeys, network.chainId, String(MIN_TX_FEE), '--pwd', CLI_PWD]);
      const partial = multisigTxOf(built);
      const signedArgs = second === 'sign-ms-next'
        ? ['accounts', 'sign-ms-next', signers[1].address, partial, network.chainId, '--pwd', CLI_PWD]
        : ['accounts', 'sign-ms-tx', signers[1].address, partial, pubkeys, network.chainId, '--pwd', CLI_PWD];
      const full = multisigTxOf(await pocketCli(node, signedArgs));
      expect(full, 'the second signature was added').not.toBe(partial);

      const sent = await pocketCli(node, ['accounts', 'send-raw-tx', ms.address, full]);
      const tx = await chain.waitForTx(txHashOf(sent));
      expect(tx.code, tx.log).toBe(0);
      expect(tx.signer.toLowerCase()).toBe(ms.address);
      expect(await chain.balance(ms.address, tx.height)).toBe(funding - amount - MIN_TX_FEE);
      expect(await chain.balance(recipient.address, tx.height)).toBe(recipientBefore + amount);
    });
  }

  test('a multisig tx with only the first signature is refused and moves nothing', async ({ network, chain, accounts }) => {
    const [funder, recipient] = accounts(2);
    const node = network.node(1);
    const signers = [deriveKey('cli', `ms-half-a-${Date.now()}`), deriveKey('cli', `ms-half-b-${Date.now()}`)];
    for (const k of signers) await importWithPassphrase(node, k);
    const ms = await multisigAddress(node, signers);
    expect((await chain.send(funder, ms.address, 1_000_000n)).code).toBe(0);
    const before = await chain.balance(ms.address);
    const built = await pocketCli(node, ['accounts', 'build-MS-Tx', signers[0].address, sendMsg(ms.address, recipient.address, 1_000n), signers.map((k) => k.publicKey).join(','), network.chainId, String(MIN_TX_FEE), '--pwd', CLI_PWD]);
    const sent = await pocketCli(node, ['accounts', 'send-raw-tx', ms.address, multisigTxOf(built)]);
    const out = sent.stdout + sent.stderr;
    // Refused at CheckTx: the multisig signature does not verify with one of two signatures
    // (x/auth/ante.go ValidateTransaction → sdk.ErrUnauthorized, codespace sdk, code 4).
    const code = out.match(/"code":\s*(\d+)/)?.[1];
    const codespace = out.match(/\\?"codespace\\?":\s*\\?"(\w+)\\?"/)?.[1];
    expect({ code: Number(code), codespace }, out).toEqual({ code: 4, codespace: 'sdk' });
    expect(out).toContain('signature verification failed for the transaction');
    await chain.waitForHeight((await chain.height()) + 2);
    expect(await chain.balance(ms.address)).toBe(before);
  });
});
