/**
 * `pocket accounts set-validator` / `get-validator` (one validator key, the default mode) and
 * `set-validators` / `get-validators` (lean pocket: many keys, needs `pocket_config.lean_pocket`).
 * Every command runs against a scratch datadir under /tmp in the container, so the running node's
 * priv_val_key.json and node_key.json are never touched.
 */
import { test, expect } from '../../fixtures/pocket';
import { pocketCli, printedLines } from '../../fixtures/cli';
import { deriveKey, type PocketKey } from '../../network/keys';
import { DATADIR } from '../../network/node-config';
import { expectUnlessKnownDefect } from '../../fixtures/known-defect';
import type { PocketNode } from '../../network/pocket-node';

const b64 = (hex: string) => Buffer.from(hex, 'hex').toString('base64');

async function readJson<T>(node: PocketNode, file: string): Promise<T> {
  const res = await node.exec(['cat', file]);
  expect(res.exitCode, `${file} exists: ${res.stderr}`).toBe(0);
  return JSON.parse(res.stdout) as T;
}

interface PvKey { address: string; pub_key: { type: string; value: string }; priv_key: { type: string; value: string } }
interface NodeKey { priv_key: { type: string; value: string } }

/** A fresh scratch datadir with `key` imported into its keybase under `passphrase`. */
async function scratchWithKey(node: PocketNode, key: PocketKey, passphrase: string): Promise<string> {
  const datadir = `/tmp/setval-${key.address}-${Date.now()}`;
  const imported = await pocketCli(node, ['accounts', 'import-raw', key.privateKey, '--pwd-encrypt', passphrase], { datadir });
  expect(imported.stdout).toContain(key.address);
  return datadir;
}

test.describe('validator key files (pocket accounts set-validator / set-validators)', () => {
  test('set-validator writes priv_val_key.json and node_key.json for the chosen key; get-validator reads it back', async ({ network }) => {
    const node = network.node(2);
    const key = deriveKey('cli', `set-validator-${Date.now()}`);
    const ownBefore = (await node.exec(['cat', `${DATADIR}/priv_val_key.json`])).stdout;
    const datadir = await scratchWithKey(node, key, 'pv');

    const set = await pocketCli(node, ['accounts', 'set-validator', key.address, '--pwd', 'pv'], { datadir });
    expect(set.exitCode).toBe(0);

    const pv = await readJson<PvKey>(node, `${datadir}/priv_val_key.json`);
    expect(pv.address.toLowerCase(), 'priv_val_key.json names the chosen address').toBe(key.address);
    expect(pv.pub_key).toEqual({ type: 'tendermint/PubKeyEd25519', value: b64(key.publicKey) });
    expect(pv.priv_key).toEqual({ type: 'tendermint/PrivKeyEd25519', value: b64(key.privateKey) });
    const nodeKey = await readJson<NodeKey>(node, `${datadir}/node_key.json`);
    expect(nodeKey.priv_key.value, 'node_key.json reuses the validator key (node ID = validator address)').toBe(b64(key.privateKey));
    expect(await readJson(node, `${datadir}/priv_val_state.json`), 'the signing state starts over').toEqual({ height: '0', round: '0', step: 0 });

    const got = await pocketCli(node, ['accounts', 'get-validator'], { datadir });
    expect(got.stdout).toContain(`Validator Address:${key.address}`);
    expect((await node.exec(['cat', `${DATADIR}/priv_val_key.json`])).stdout, "the running node's key file is untouched").toBe(ownBefore);
  });

  test('set-validator with a wrong passphrase exits non-zero and writes no key', async ({ network }) => {
    const node = network.node(2);
    const key = deriveKey('cli', `set-validator-wrong-${Date.now()}`);
    const datadir = await scratchWithKey(node, key, 'right');
    const set = await pocketCli(node, ['accounts', 'set-validator', key.address, '--pwd', 'wrong'], { datadir });
    expect(set.exitCode).toBe(1);
    expect(set.stdout + set.stderr).toContain('message authentication failed');
    const pv = await node.exec(['cat', `${datadir}/priv_val_key.json`]);
    expect(pv.stdout, 'no key material of the account was written').not.toContain(b64(key.privateKey));
  });

  test('set-validator of a malformed address is refused with a non-zero exit code', async ({ network }) => {
    const node = network.node(2);
    const datadir = `/tmp/setval-malformed-${Date.now()}`;
    const res = await pocketCli(node, ['accounts', 'set-validator', 'not-hex', '--pwd', 'p'], { datadir });
    const listed = await node.exec(['ls', datadir]);
    expect(listed.exitCode, `the CLI created its datadir ${datadir}`).toBe(0);
    expect(listed.stdout, 'no key file was written').not.toContain('priv_val_key.json');
    const refusal = "Address Error encoding/hex: invalid byte: U+006E 'n'";
    await expectUnlessKnownDefect('PC-CLI-ERRORS-EXIT-ZERO', { exitCode: res.exitCode, printed: printedLines(res) }, {
      correct: { exitCode: 1, printed: [refusal] },
      defect: { exitCode: 0, printed: [refusal] },
    }, network);
  });

  test('set-validators (lean pocket) writes every key of the key file; get-validators lists them; the first is the node key', async ({ network }) => {
    const node = network.node(3);
    const keys = [deriveKey('cli', `lean-a-${Date.now()}`), deriveKey('cli', `lean-b-${Date.now()}`)];
    const datadir = `/tmp/lean-${Date.now()}`;
    const keyFile = `${datadir}/keys.json`;
    await node.exec(['mkdir', '-p', `${datadir}/config`]);
    await node.exec(['sh', '-c', `echo '{"pocket_config":{"lean_pocket":true}}' > ${datadir}/config/config.json`]);
    await node.exec(['sh', '-c', `echo '${JSON.stringify(keys.map((k) => ({ priv_key: k.privateKey })))}' > ${keyFile}`]);

    const set = await pocketCli(node, ['accounts', 'set-validators', keyFile], { datadir });
    expect(set.exitCode).toBe(0);
    const pvs = await readJson<PvKey[]>(node, `${datadir}/priv_val_key_lean.json`);
    expect(pvs.map((p) => p.address.toLowerCase())).toEqual(keys.map((k) => k.address));
    expect(pvs.map((p) => p.pub_key.value)).toEqual(keys.map((k) => b64(k.publicKey)));
    const nodeKey = await readJson<NodeKey>(node, `${datadir}/node_key_lean.json`);
    expect(nodeKey.priv_key.value, 'the first key is the peering key').toBe(b64(keys[0].privateKey));

    const got = await pocketCli(node, ['accounts', 'get-validators'], { datadir });
    for (const k of keys) expect(got.stdout).toContain(`Node Address: ${k.address}`);

    const missing = await pocketCli(node, ['accounts', 'set-validators', `${datadir}/absent.json`], { datadir });
    expect(missing.exitCode).toBe(1);
    expect(missing.stdout).toContain('Failed to read validators json file');
  });

  test('set-validators without lean pocket refuses and points at set-validator', async ({ network }) => {
    const node = network.node(3);
    const datadir = `/tmp/not-lean-${Date.now()}`;
    const res = await pocketCli(node, ['accounts', 'set-validators', '/nonexistent.json'], { datadir });
    expect(res.stdout).toContain('Lean pocket is not enabled. You might be trying to use set-validator.');
    expect((await node.exec(['ls', datadir])).stdout).not.toMatch(/priv_val_key/);
  });
});
