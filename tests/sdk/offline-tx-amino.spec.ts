/**
 * pocket-js's legacy (amino) tx codec (Configuration's useLegacyTxCodec = true): every message of
 * its TransactionSender built and signed offline, judged by the node.
 *
 * Observed contract of RC-0.9.2:
 *  - after the boot-time codec upgrade (the worker's network) the node decodes transactions with
 *    protobuf only, so it refuses every amino transaction at submission (sdk code 2, tx decode)
 *    and no state changes;
 *  - on a chain that never had the codec upgrade (`withFeatures()` with no features skips the
 *    DAO upgrade entirely) every amino message is accepted and has its effect.
 */
import { test, expect, chainOn } from '../../fixtures/pocket';
import { buildOffline, commitRaw, outcomeOf, type SignedTx } from '../../fixtures/offline-tx';
import { appState, nodeState, nodeUnstakingFrom, STAKED, UNSTAKING } from '../../fixtures/staking';
import { nodeRefusal } from '../../fixtures/chain';
import { MIN_TX_FEE } from '../../network/spec';
import { upgradeState } from '../../network/upgrade';
import { expectUnlessKnownDefect } from '../../fixtures/known-defect';
import type { PocketKey } from '../../network/keys';
import type { PocketJs } from '../../fixtures/sdk';

// pocket-js refuses http:// service URLs (a known defect, tests/sdk/known-defects.spec.ts).
const serviceUrl = (host: string) => new URL(`https://${host}.pokt.local:443`);

/** One amino transaction per message type of pocket-js's TransactionSender. */
async function everyAminoMessage(sdk: PocketJs, chainId: string, signer: PocketKey, other: PocketKey): Promise<Array<[string, SignedTx]>> {
  const build = (m: Parameters<typeof buildOffline>[4]) => buildOffline(sdk, 'amino', signer, chainId, m);
  return [
    ['send', await build((s) => s.send(signer.address, other.address, '1000'))],
    ['appStake', await build((s) => s.appStake(signer.publicKey, ['0021'], '2000000000'))],
    ['appUnstake', await build((s) => s.appUnstake(signer.address))],
    ['appUnjail', await build((s) => s.appUnjail(signer.address))],
    ['nodeStake (custodial)', await build((s) => s.nodeStake(signer.publicKey, signer.address, ['0001'], '20000000000', serviceUrl('amino-custodial')))],
    ['nodeStake (non-custodial)', await build((s) => s.nodeStake(signer.publicKey, other.address, ['0001'], '20000000000', serviceUrl('amino-noncustodial')))],
    ['nodeUnstake', await build((s) => s.nodeUnstake(signer.address, signer.address))],
    ['nodeUnjail', await build((s) => s.nodeUnjail(signer.address, signer.address))],
  ];
}

test.describe('offline transactions, amino codec', () => {
  test('after the codec upgrade the node refuses every amino message at submission (tx decode error) and nothing changes', async ({ network, sdk, chain, rawRpc, accounts }) => {
    const [signer, other] = accounts(2);
    expect((await upgradeState(network.node(1).rpcUrl)).height, 'the worker network had its codec upgrade').toBeGreaterThan(0);
    const before = await chain.balance(signer.address);
    for (const [name, tx] of await everyAminoMessage(sdk, network.chainId, signer, other)) {
      const refusal = await commitRaw(sdk, chain, tx).then((c) => { throw new Error(`${name}: the node committed an amino tx (code ${c.code})`); }, nodeRefusal);
      expect(refusal, name).toMatchObject({ codespace: 'sdk', code: 2 });
      expect(refusal.message, name).toContain('error decoding transaction');
    }
    expect(await chain.balance(signer.address), 'no fee was taken').toBe(before);
    expect(await appState(rawRpc, network.node(1).rpcUrl, signer.address)).toBeUndefined();
    expect(await nodeState(rawRpc, network.node(1).rpcUrl, signer.address)).toBeUndefined();
  });

  test('on a chain without the codec upgrade every amino message is accepted and has its effect', async ({ startNetwork, sdk, recorder, rawRpc }) => {
    const net = await startNetwork((b) => b.withFeatures());
    expect(await upgradeState(net.node(1).rpcUrl), 'no codec upgrade, no features').toMatchObject({ height: 0, features: {} });
    const chain = chainOn(sdk, net, recorder);
    const url = net.node(1).rpcUrl;
    const [sender, app, op] = net.keys.accounts;
    const commit = async (signer: PocketKey, m: Parameters<typeof buildOffline>[4]) => commitRaw(sdk, chain, await buildOffline(sdk, 'amino', signer, net.chainId, m));

    await test.step('send moves exactly amount and fee', async () => {
      const [fromBefore, toBefore] = [await chain.balance(sender.address), await chain.balance(app.address)];
      const tx = await commit(sender, (s) => s.send(sender.address, app.address, '5000000'));
      expect(tx).toMatchObject({ code: 0, messageType: 'send' });
      expect(await chain.balance(sender.address, tx.height)).toBe(fromBefore - 5_000_000n - MIN_TX_FEE);
      expect(await chain.balance(app.address, tx.height)).toBe(toBefore + 5_000_000n);
    });
    await test.step('appStake stakes; appUnjail reaches the app module (not jailed, 105); appUnstake starts unstaking', async () => {
      const staked = await commit(app, (s) => s.appStake(app.publicKey, ['0021'], '2000000000'));
      expect(staked).toMatchObject({ code: 0, messageType: 'app_stake' });
      expect(await appState(rawRpc, url, app.address, staked.height)).toMatchObject({ status: STAKED, staked_tokens: '2000000000', chains: ['0021'] });
      expect(await commit(app, (s) => s.appUnjail(app.address))).toMatchObject({ code: 105, messageType: 'app_unjail' });
      const unstaked = await commit(app, (s) => s.appUnstake(app.address));
      expect(unstaked).toMatchObject({ code: 0, messageType: 'app_begin_unstake' });
      // The app module begins unstaking in the transaction's own block.
      expect(await appState(rawRpc, url, app.address, unstaked.height)).toMatchObject({ status: UNSTAKING });
    });
    await test.step('nodeStake (custodial) stakes; nodeUnjail reaches pos (not jailed, 105); nodeUnstake starts unstaking', async () => {
      const staked = await commit(op, (s) => s.nodeStake(op.publicKey, op.address, ['0001'], '20000000000', serviceUrl('amino-custodial')));
      expect(staked).toMatchObject({ code: 0, messageType: 'stake_validator' });
      expect(await nodeState(rawRpc, url, op.address, staked.height)).toMatchObject({ status: STAKED, tokens: '20000000000', chains: ['0001'], service_url: 'https://amino-custodial.pokt.local:443' });
      expect(await commit(op, (s) => s.nodeUnjail(op.address, op.address))).toMatchObject({ code: 105, messageType: 'unjail_validator' });
      const unstaked = await commit(op, (s) => s.nodeUnstake(op.address, op.address));
      expect(unstaked).toMatchObject({ code: 0, messageType: 'begin_unstake_validator' });
      // pos begins unstaking it at the end of the unstake's session: waited for by height, not time.
      const { height, node } = await nodeUnstakingFrom(net, rawRpc, op.address, unstaked.height);
      expect(node, `${op.address} at height ${height}`).toMatchObject({ status: UNSTAKING });
    });
    await test.step('the protobuf codec is decoded too, but its v8 nodeStake is refused while NCUST is off', async () => {
      expect(await commitRaw(sdk, chain, await buildOffline(sdk, 'protobuf', sender, net.chainId, (s) => s.send(sender.address, op.address, '1000')))).toMatchObject({ code: 0 });
      const v8 = await outcomeOf(sdk, chain, await buildOffline(sdk, 'protobuf', sender, net.chainId, (s) => s.nodeStake(sender.publicKey, sender.address, ['0001'], '20000000000', serviceUrl('proto-v8'))));
      expect(JSON.stringify(v8)).toContain('no concrete type registered for type URL /x.nodes.MsgProtoStake8');
    });
  });

  test('a non-custodial nodeStake built with the amino codec keeps its output address', async ({ startNetwork, sdk, recorder, rawRpc }) => {
    const net = await startNetwork((b) => b.withFeatures());
    const chain = chainOn(sdk, net, recorder);
    const [op, output] = net.keys.accounts;
    const built = await buildOffline(sdk, 'amino', op, net.chainId, (s) => s.nodeStake(op.publicKey, output.address, ['0001'], '20000000000', serviceUrl('amino-output')));
    const staked = await commitRaw(sdk, chain, built);
    expect(staked, staked.log).toMatchObject({ code: 0, messageType: 'stake_validator' });
    const node = await nodeState(rawRpc, net.node(1).rpcUrl, op.address, staked.height);
    expect(node, 'the stake itself took effect').toMatchObject({ status: STAKED, tokens: '20000000000', chains: ['0001'], service_url: 'https://amino-output.pokt.local:443' });
    // pocket-js's amino nodeStake builds the legacy pos/MsgStake, which has no output address.
    await expectUnlessKnownDefect('PJS-AMINO-NODESTAKE-DROPS-OUTPUT', { outputAddress: node?.output_address ?? null }, {
      correct: { outputAddress: output.address },
      defect: { outputAddress: '' },
    }, net);
  });
});
