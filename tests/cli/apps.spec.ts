/** `pocket apps …`: stake and unstake checked by chain state and against pocket-js; create-aat against our AAT spec and pocket-js. */
import { test, expect } from '../../fixtures/pocket';
import { pocketCli, printedLines } from '../../fixtures/cli';
import { appState, STAKED, UNSTAKING, waitForStatus } from '../../fixtures/staking';
import { maxRelaysForStake } from '../../network/genesis';
import { deriveKey, verify } from '../../network/keys';
import { aatHash } from '../../network/relay-crypto';
import { MIN_TX_FEE } from '../../network/spec';
import { expectUnlessKnownDefect } from '../../fixtures/known-defect';
import { CLI_PWD, importWithPassphrase, txHashOf } from '../../fixtures/cli-keys';

const fee = String(MIN_TX_FEE);

test.describe('pocket apps', () => {
  test('stake from the CLI and an app stake from pocket-js make the same staked app @critical', async ({ network, chain, rawRpc, accounts }) => {
    const [cliApp, sdkApp] = accounts(2);
    const node = network.node(1);
    await importWithPassphrase(node, cliApp);
    const stake = 4_000_000_000n;
    const before = { cli: await chain.balance(cliApp.address), sdk: await chain.balance(sdkApp.address) };

    const res = await pocketCli(node, ['apps', 'stake', cliApp.address, stake.toString(), '0001,0021', network.chainId, fee, '--pwd', CLI_PWD]);
    const cliTx = await chain.waitForTx(txHashOf(res));
    const sdkTx = await chain.submitAndCommit(sdkApp, (s) => s.appStake(sdkApp.publicKey, ['0001', '0021'], stake.toString()));
    expect(cliTx.code, cliTx.log).toBe(0);
    expect(sdkTx.code, sdkTx.log).toBe(0);
    expect(cliTx.messageType).toBe(sdkTx.messageType);

    const want = { status: STAKED, staked_tokens: stake.toString(), chains: ['0001', '0021'], max_relays: maxRelaysForStake(stake).toString(), jailed: false };
    expect(await appState(rawRpc, node.rpcUrl, cliApp.address, cliTx.height)).toMatchObject({ ...want, address: cliApp.address });
    expect(await appState(rawRpc, node.rpcUrl, sdkApp.address, sdkTx.height)).toMatchObject({ ...want, address: sdkApp.address });
    expect(await chain.balance(cliApp.address, cliTx.height)).toBe(before.cli - stake - MIN_TX_FEE);
    expect(await chain.balance(sdkApp.address, sdkTx.height)).toBe(before.sdk - stake - MIN_TX_FEE);
  });

  test('unstake from the CLI and from pocket-js both start unstaking', async ({ network, chain, rawRpc, accounts }) => {
    const [cliApp, sdkApp] = accounts(2);
    const node = network.node(1);
    await importWithPassphrase(node, cliApp);
    for (const app of [cliApp, sdkApp]) {
      const staked = await chain.submitAndCommit(app, (s) => s.appStake(app.publicKey, ['0001'], '2000000000'));
      expect(staked.code, staked.log).toBe(0);
    }
    const res = await pocketCli(node, ['apps', 'unstake', cliApp.address, network.chainId, fee, '--pwd', CLI_PWD]);
    const cliTx = await chain.waitForTx(txHashOf(res));
    const sdkTx = await chain.submitAndCommit(sdkApp, (s) => s.appUnstake(sdkApp.address));
    expect(cliTx.code, cliTx.log).toBe(0);
    expect(sdkTx.code, sdkTx.log).toBe(0);
    expect(cliTx.messageType).toBe(sdkTx.messageType);
    for (const app of [cliApp, sdkApp]) await waitForStatus(() => appState(rawRpc, node.rpcUrl, app.address), UNSTAKING, `${app.address} to be unstaking`);
  });

  test('create-aat prints an AAT signed by the app key, the same AAT pocket-js builds for those keys', async ({ network, sdk }) => {
    const node = network.node(2);
    const app = deriveKey('cli', `aat-app-${Date.now()}`);
    const client = deriveKey('cli', `aat-client-${Date.now()}`);
    await importWithPassphrase(node, app);

    const res = await pocketCli(node, ['apps', 'create-aat', app.address, client.publicKey, '--pwd', CLI_PWD]);
    expect(res.exitCode).toBe(0);
    const aat = JSON.parse(res.stdout.slice(res.stdout.indexOf('{'))) as { version: string; app_pub_key: string; client_pub_key: string; signature: string };
    expect(aat).toMatchObject({ version: '0.0.1', app_pub_key: app.publicKey, client_pub_key: client.publicKey });
    const hash = Buffer.from(aatHash({ version: aat.version, app_pub_key: aat.app_pub_key, client_pub_key: aat.client_pub_key }), 'hex');
    expect(verify(app.publicKey, hash, aat.signature), 'the app signed the AAT hash').toBe(true);
    expect(verify(client.publicKey, hash, aat.signature), 'not the client').toBe(false);

    const js = await sdk.PocketAAT.from('0.0.1', client.publicKey, app.publicKey, app.privateKey);
    // ed25519 signatures are deterministic: the same keys and hash give the same signature.
    expect({ version: js.version, app_pub_key: js.applicationPublicKey, client_pub_key: js.clientPublicKey, signature: js.applicationSignature }).toEqual(aat);
  });

  test('create-aat with a wrong passphrase prints the decrypt error, no AAT, and exits non-zero', async ({ network }) => {
    const node = network.node(2);
    const app = deriveKey('cli', `aat-wrong-${Date.now()}`);
    await importWithPassphrase(node, app);
    const res = await pocketCli(node, ['apps', 'create-aat', app.address, app.publicKey, '--pwd', 'wrong']);
    // RC-0.9.2 printed nothing at all; RC-0.12.0 prints the keybase's decrypt error, still exiting 0.
    const refusal = ["Can't Decrypt Using AES : cipher: message authentication failed"];
    await expectUnlessKnownDefect('PC-CLI-ERRORS-EXIT-ZERO', { exitCode: res.exitCode, printed: printedLines(res) }, {
      correct: { exitCode: 1, printed: refusal },
      defect: { exitCode: 0, printed: refusal },
    }, network);
  });
});
