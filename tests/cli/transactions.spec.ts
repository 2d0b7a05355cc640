import { test, expect } from '../../fixtures/pocket';
import { cliJson, pocketCli } from '../../fixtures/cli';
import { importKey } from '../../fixtures/governance';
import { MIN_TX_FEE } from '../../network/spec';
import { buildOffline } from '../../fixtures/offline-tx';

test.describe('transactions through the CLI', () => {
  test('send-tx from the CLI and a send from pocket-js make the same state change @critical', async ({ network, chain, accounts }) => {
    const [cliSender, sdkSender, to] = accounts(3);
    const node = network.node(1);
    await importKey(node, cliSender);
    const amount = 4_321n;
    const before = { cli: await chain.balance(cliSender.address), sdk: await chain.balance(sdkSender.address), to: await chain.balance(to.address) };

    const sent = await pocketCli(node, ['accounts', 'send-tx', cliSender.address, to.address, amount.toString(), network.chainId, MIN_TX_FEE.toString(), 'cli memo', '--pwd', ' '], { stdin: '\n' });
    const hash = sent.stdout.match(/"txhash":\s*"([0-9A-F]{64})"/)?.[1];
    expect(hash, sent.stdout).toMatch(/^[0-9A-F]{64}$/);
    const cliTx = await chain.waitForTx(hash!);
    const sdkTx = await chain.send(sdkSender, to.address, amount);
    expect(cliTx.code).toBe(0);
    expect(sdkTx.code).toBe(0);
    expect(await chain.balance(cliSender.address, cliTx.height)).toBe(before.cli - amount - MIN_TX_FEE);
    expect(await chain.balance(sdkSender.address, sdkTx.height)).toBe(before.sdk - amount - MIN_TX_FEE);
    expect(await chain.balance(to.address, Math.max(cliTx.height, sdkTx.height))).toBe(before.to + 2n * amount);

    const q = await pocketCli(node, ['query', 'tx', hash!]);
    expect(cliJson<{ hash: string }>(q).hash).toBe(hash);
  });
});

test.describe('send-raw-tx', () => {
  test('send-raw-tx of a send pocket-js signed offline is committed with the exact balance change', async ({ network, chain, sdk, accounts }) => {
    const [from, to] = accounts(2);
    const amount = 55_555n;
    const before = { from: await chain.balance(from.address), to: await chain.balance(to.address) };
    const signed = await buildOffline(sdk, 'protobuf', from, network.chainId, (s) => s.send(from.address, to.address, amount.toString()));
    const sent = await pocketCli(network.node(2), ['accounts', 'send-raw-tx', from.address, signed.txHex]);
    const hash = sent.stdout.match(/"txhash":\s*"([0-9A-F]{64})"/)?.[1];
    expect(hash, sent.stdout).toMatch(/^[0-9A-F]{64}$/);
    const tx = await chain.waitForTx(hash!);
    expect(tx.code, tx.log).toBe(0);
    expect(tx.signer.toLowerCase()).toBe(from.address);
    expect(await chain.balance(from.address, tx.height)).toBe(before.from - amount - MIN_TX_FEE);
    expect(await chain.balance(to.address, tx.height)).toBe(before.to + amount);
  });
});
