/**
 * `pocket nodes …` transactions, each checked by chain state at its height and against the same
 * action through pocket-js. pocket-js refuses http:// service URLs, so the SDK side stakes with
 * https://; the CLI side uses http://, which pocket-core accepts. A staked node with no process
 * behind it is jailed after a few blocks, so state is read at the transaction's height.
 */
import { test, expect } from '../../fixtures/pocket';
import { pocketCli } from '../../fixtures/cli';
import { nodeState, nodeUnstakingFrom, STAKED, UNSTAKING } from '../../fixtures/staking';
import { MIN_TX_FEE } from '../../network/spec';
import { CLI_PWD, importWithPassphrase, txHashOf } from '../../fixtures/cli-keys';

const STAKE = 20_000_000_000n; // above the CLI's 15,100 POKT "are you sure" prompt
const fee = String(MIN_TX_FEE);

test.describe('pocket nodes', () => {
  test('stake custodial from the CLI and a custodial stake from pocket-js make the same staked node @critical', async ({ network, chain, rawRpc, accounts }) => {
    const [cliOp, sdkOp] = accounts(2);
    const node = network.node(1);
    await importWithPassphrase(node, cliOp);
    const before = { cli: await chain.balance(cliOp.address), sdk: await chain.balance(sdkOp.address) };

    const res = await pocketCli(node, ['nodes', 'stake', 'custodial', cliOp.address, STAKE.toString(), '0001,0021', 'http://cli-custodial.pokt.local:8081', network.chainId, fee, 'false', '--pwd', CLI_PWD]);
    const cliTx = await chain.waitForTx(txHashOf(res));
    const sdkTx = await chain.submitAndCommit(sdkOp, (s) => s.nodeStake(sdkOp.publicKey, sdkOp.address, ['0001', '0021'], STAKE.toString(), new URL('https://sdk-custodial.pokt.local:8081')));
    expect(cliTx.code, cliTx.log).toBe(0);
    expect(sdkTx.code, sdkTx.log).toBe(0);

    const cliNode = await nodeState(rawRpc, node.rpcUrl, cliOp.address, cliTx.height);
    const sdkNode = await nodeState(rawRpc, node.rpcUrl, sdkOp.address, sdkTx.height);
    const common = { status: STAKED, tokens: STAKE.toString(), chains: ['0001', '0021'], jailed: false };
    expect(cliNode).toMatchObject({ ...common, output_address: cliOp.address, service_url: 'http://cli-custodial.pokt.local:8081' });
    expect(sdkNode).toMatchObject({ ...common, output_address: sdkOp.address, service_url: 'https://sdk-custodial.pokt.local:8081' });
    expect(await chain.balance(cliOp.address, cliTx.height)).toBe(before.cli - STAKE - MIN_TX_FEE);
    expect(await chain.balance(sdkOp.address, sdkTx.height)).toBe(before.sdk - STAKE - MIN_TX_FEE);
  });

  test('stake non-custodial from the CLI (signed by the output key) and from pocket-js record the output address @critical', async ({ network, chain, rawRpc, accounts }) => {
    const [cliOp, cliOut, sdkOp, sdkOut] = accounts(4);
    const node = network.node(1);
    // Only the output key is in the keybase: the CLI picks the first of output, operator, current output it holds.
    await importWithPassphrase(node, cliOut);
    const before = { cliOut: await chain.balance(cliOut.address), cliOp: await chain.balance(cliOp.address), sdkOp: await chain.balance(sdkOp.address) };

    const res = await pocketCli(node, ['nodes', 'stake', 'non-custodial', cliOp.publicKey, cliOut.address, STAKE.toString(), '0021', 'http://cli-noncustodial.pokt.local:8081', network.chainId, fee, 'false', '--pwd', CLI_PWD]);
    const cliTx = await chain.waitForTx(txHashOf(res));
    const sdkTx = await chain.submitAndCommit(sdkOp, (s) => s.nodeStake(sdkOp.publicKey, sdkOut.address, ['0021'], STAKE.toString(), new URL('https://sdk-noncustodial.pokt.local:8081')));
    expect(cliTx.code, cliTx.log).toBe(0);
    expect(sdkTx.code, sdkTx.log).toBe(0);
    expect(cliTx.signer.toLowerCase(), 'the CLI signed with the output key').toBe(cliOut.address);

    const common = { status: STAKED, tokens: STAKE.toString(), chains: ['0021'], jailed: false };
    expect(await nodeState(rawRpc, node.rpcUrl, cliOp.address, cliTx.height)).toMatchObject({ ...common, output_address: cliOut.address, service_url: 'http://cli-noncustodial.pokt.local:8081' });
    expect(await nodeState(rawRpc, node.rpcUrl, sdkOp.address, sdkTx.height)).toMatchObject({ ...common, output_address: sdkOut.address });
    expect(await chain.balance(cliOut.address, cliTx.height), 'the signer (output) pays stake and fee').toBe(before.cliOut - STAKE - MIN_TX_FEE);
    expect(await chain.balance(cliOp.address, cliTx.height), 'the operator pays nothing').toBe(before.cliOp);
    expect(await chain.balance(sdkOp.address, sdkTx.height)).toBe(before.sdkOp - STAKE - MIN_TX_FEE);
  });

  test('unstake from the CLI and from pocket-js both start unstaking', async ({ network, chain, rawRpc, accounts }) => {
    const [cliOp, sdkOp] = accounts(2);
    const node = network.node(1);
    await importWithPassphrase(node, cliOp);
    for (const op of [cliOp, sdkOp]) {
      const staked = await chain.submitAndCommit(op, (s) => s.nodeStake(op.publicKey, op.address, ['0001'], STAKE.toString(), new URL('https://unstake.pokt.local:443')));
      expect(staked.code, staked.log).toBe(0);
    }
    const res = await pocketCli(node, ['nodes', 'unstake', cliOp.address, cliOp.address, network.chainId, fee, 'false', '--pwd', CLI_PWD]);
    const cliTx = await chain.waitForTx(txHashOf(res));
    const sdkTx = await chain.submitAndCommit(sdkOp, (s) => s.nodeUnstake(sdkOp.address, sdkOp.address));
    expect(cliTx.code, cliTx.log).toBe(0);
    expect(sdkTx.code, sdkTx.log).toBe(0);
    expect(cliTx.messageType).toBe(sdkTx.messageType);
    // An unstake parks the node until the session's last block, where pos begins unstaking it.
    for (const [op, tx] of [[cliOp, cliTx], [sdkOp, sdkTx]] as const) {
      const { height, node: state } = await nodeUnstakingFrom(network, rawRpc, op.address, tx.height);
      expect(state?.status, `${op.address} unstaking at ${height}, the end of the unstake's session`).toBe(UNSTAKING);
    }
  });

  test('unjail of a node that is not jailed is refused with pos code 105 from the CLI and from pocket-js', async ({ network, chain, rawRpc, accounts }) => {
    const [cliOp, sdkOp] = accounts(2);
    const node = network.node(1);
    await importWithPassphrase(node, cliOp);
    const staked = [];
    for (const op of [cliOp, sdkOp]) staked.push(await chain.submitAndCommit(op, (s) => s.nodeStake(op.publicKey, op.address, ['0001'], STAKE.toString(), new URL('https://unjail.pokt.local:443'))));
    // Immediately: a node with no process is jailed only after missing the signed-blocks window.
    const res = await pocketCli(node, ['nodes', 'unjail', cliOp.address, cliOp.address, network.chainId, fee, 'false', '--pwd', CLI_PWD]);
    const cliTx = await chain.waitForTx(txHashOf(res));
    const sdkTx = await chain.submitAndCommit(sdkOp, (s) => s.nodeUnjail(sdkOp.address, sdkOp.address));
    for (const [op, tx] of [[cliOp, cliTx], [sdkOp, sdkTx]] as const) {
      expect((await nodeState(rawRpc, node.rpcUrl, op.address, tx.height - 1))?.jailed, 'the node was not jailed before the unjail').toBe(false);
    }
    expect(cliTx.code, 'pos CodeValidatorNotJailed').toBe(105);
    expect(sdkTx.code, 'pos CodeValidatorNotJailed').toBe(105);
    expect(cliTx.messageType).toBe(sdkTx.messageType);
    expect(staked.every((t) => t.code === 0)).toBe(true);
  });
});
