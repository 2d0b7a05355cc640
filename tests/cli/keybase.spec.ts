import { test, expect } from '../../fixtures/pocket';
import { pocketCli, printedLines } from '../../fixtures/cli';
import { addressOf, deriveKey } from '../../network/keys';
import { expectUnlessKnownDefect } from '../../fixtures/known-defect';

const addressIn = (out: string) => out.match(/[0-9a-f]{40}/)?.[0];

test.describe('keybase (pocket accounts)', () => {
  test('create, list, show, export-raw, update-passphrase and delete an account', async ({ network }) => {
    const node = network.node(2);
    const created = await pocketCli(node, ['accounts', 'create', '--pwd', 'first']);
    expect(created.exitCode).toBe(0);
    const address = addressIn(created.stdout)!;
    expect(address).toBeDefined();
    expect((await pocketCli(node, ['accounts', 'list'])).stdout).toContain(address);
    const shown = await pocketCli(node, ['accounts', 'show', address]);
    const publicKey = shown.stdout.match(/Public Key:\s*([0-9a-f]{64})/)?.[1];
    expect(addressOf(publicKey!), 'the shown public key hashes to the address').toBe(address);
    const raw = await pocketCli(node, ['accounts', 'export-raw', address, '--pwd-decrypt', 'first']);
    const privateKey = raw.stdout.match(/[0-9a-f]{128}/)?.[0];
    expect(privateKey?.slice(64), 'the private key ends with the public key').toBe(publicKey);

    expect((await pocketCli(node, ['accounts', 'update-passphrase', address, '--pwd-old', 'first', '--pwd-new', 'second'])).stdout).toContain('Successfully updated');
    expect((await pocketCli(node, ['accounts', 'export-raw', address, '--pwd-decrypt', 'first'])).stdout, 'the old passphrase no longer works').toContain('message authentication failed');
    expect((await pocketCli(node, ['accounts', 'export-raw', address, '--pwd-decrypt', 'second'])).stdout).toContain(privateKey!);

    expect((await pocketCli(node, ['accounts', 'delete', address, '--pwd', 'second'])).stdout).toContain('deleted successfully');
    expect((await pocketCli(node, ['accounts', 'list'])).stdout).not.toContain(address);
  });

  test('import-raw of a known key shows its address and public key', async ({ network }) => {
    const key = deriveKey('cli', `import-${Date.now()}`);
    const node = network.node(3);
    const imported = await pocketCli(node, ['accounts', 'import-raw', key.privateKey, '--pwd-encrypt', 'p']);
    expect(imported.stdout).toContain(key.address);
    const shown = await pocketCli(node, ['accounts', 'show', key.address]);
    expect(shown.stdout).toContain(key.publicKey);
  });

  test('a PPK export (hint given on stdin: the command has no flag for it) imports back to the same account', async ({ network }) => {
    const node = network.node(3);
    const key = deriveKey('cli', `ppk-${Date.now()}`);
    await pocketCli(node, ['accounts', 'import-raw', key.privateKey, '--pwd-encrypt', 'kb']);
    const dir = `/tmp/ppk-${key.address}/`;
    await node.exec(['mkdir', '-p', dir]);
    const exported = await pocketCli(node, ['accounts', 'export', key.address, '--path', dir, '--pwd-decrypt', 'kb', '--pwd-encrypt', 'ppk'], { stdin: 'a hint\n' });
    expect(exported.stdout).toContain('Export Completed');
    const file = `${dir}pocket-account-${key.address}.json`;
    const ppk = JSON.parse((await node.exec(['cat', file])).stdout) as { kdf: string; hint: string; ciphertext: string };
    expect(ppk).toMatchObject({ kdf: 'scrypt', hint: 'a hint' });
    expect(ppk.ciphertext).not.toContain(key.privateKey);
    expect((await pocketCli(node, ['accounts', 'delete', key.address, '--pwd', 'kb'])).stdout).toContain('deleted successfully');
    const back = await pocketCli(node, ['accounts', 'import-armored', file, '--pwd-decrypt', 'ppk', '--pwd-encrypt', 'kb2']);
    expect(back.stdout + back.stderr).not.toMatch(/Cannot|failed|error/i);
    expect((await pocketCli(node, ['accounts', 'export-raw', key.address, '--pwd-decrypt', 'kb2'])).stdout).toContain(key.privateKey);
  });

  test('a wrong passphrase is refused with a non-zero exit code', async ({ network }) => {
    const node = network.node(2);
    const created = await pocketCli(node, ['accounts', 'create', '--pwd', 'right']);
    expect(created.exitCode).toBe(0);
    const address = addressIn(created.stdout);
    expect(address, 'the created address is printed').toMatch(/^[0-9a-f]{40}$/);
    const wrong = await pocketCli(node, ['accounts', 'export-raw', address!, '--pwd-decrypt', 'wrong']);
    const refusal = ["Can't Decrypt Using AES : cipher: message authentication failed", 'cipher: message authentication failed'];
    await expectUnlessKnownDefect('PC-CLI-ERRORS-EXIT-ZERO', { exitCode: wrong.exitCode, printed: printedLines(wrong) }, {
      correct: { exitCode: 1, printed: refusal },
      defect: { exitCode: 0, printed: refusal },
    }, network);
  });
});
