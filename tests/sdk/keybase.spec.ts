/** pocket-js's keybase: what an app backend uses to hold client and app keys. */
import { test, expect } from '../../fixtures/pocket';
import { addressOf, deriveKey } from '../../network/keys';

test.describe('pocket-js keybase', () => {
  test('create, export and import a private key round trip to the same address', async ({ sdk, pocket }) => {
    const account = await pocket.keybase.createAccount('pass-1');
    if (account instanceof Error) throw account;
    expect(account.addressHex).toBe(addressOf(account.publicKey.toString('hex')));
    const exported = await pocket.keybase.exportAccount(account.addressHex, 'pass-1');
    if (exported instanceof Error) throw exported;
    const other = new sdk.Keybase(new sdk.InMemoryKVStore());
    const imported = await other.importAccount(exported, 'pass-2');
    if (imported instanceof Error) throw imported;
    expect(imported.addressHex).toBe(account.addressHex);
  });

  test('a PPK export imports back to the same key; a wrong PPK password is refused', async ({ sdk }) => {
    const kb = new sdk.Keybase(new sdk.InMemoryKVStore());
    const key = deriveKey('sdk', 'ppk');
    const ppk = await kb.exportPPK(key.privateKey, 'ppk-pass', 'a hint');
    if (ppk instanceof Error) throw ppk;
    expect(JSON.parse(ppk)).toMatchObject({ kdf: 'scrypt', hint: 'a hint' });
    const back = await kb.importPPKFromJSON('ppk-pass', ppk, 'kb-pass');
    if (back instanceof Error) throw back;
    expect(back.addressHex).toBe(key.address);
    const wrong = await new sdk.Keybase(new sdk.InMemoryKVStore()).importPPKFromJSON('not-the-pass', ppk, 'kb-pass');
    expect(wrong).toBeInstanceOf(Error);
  });

  test('a wrong passphrase cannot unlock or sign; a locked account cannot sign', async ({ sdk }) => {
    const kb = new sdk.Keybase(new sdk.InMemoryKVStore());
    const account = await kb.importAccount(Buffer.from(deriveKey('sdk', 'lock').privateKey, 'hex'), 'right');
    if (account instanceof Error) throw account;
    expect(await kb.unlockAccount(account.addressHex, 'wrong', 0)).toBeInstanceOf(Error);
    expect(await kb.sign(account.addressHex, 'wrong', Buffer.from('x'))).toBeInstanceOf(Error);
    expect(await kb.unlockAccount(account.addressHex, 'right', 0)).toBeUndefined();
    expect(await kb.isUnlocked(account.addressHex)).toBe(true);
    const sig = await kb.signWithUnlockedAccount(account.addressHex, Buffer.from('payload'));
    expect(sig).toBeInstanceOf(Buffer);
    expect(await kb.verifySignature(account.publicKey, Buffer.from('payload'), sig as Buffer)).toBe(true);
    await kb.lockAccount(account.addressHex);
    expect(await kb.signWithUnlockedAccount(account.addressHex, Buffer.from('payload'))).toBeInstanceOf(Error);
  });
});
