/**
 * Every message pocket-js's TransactionSender has (send, appStake, appUnstake, appUnjail,
 * nodeStake custodial and non-custodial, nodeUnstake, nodeUnjail), built and signed OFFLINE with
 * the protobuf codec (a Pocket with no reachable node, `createTransaction`), then handed to the
 * worker's network (codec upgraded, NCUST on) with the SDK's rawtx. The node is the judge: each
 * must be decoded and produce the expected state, or the module's own refusal.
 */
import { test, expect } from '../../fixtures/pocket';
import { buildOffline, commitRaw, outcomeOf } from '../../fixtures/offline-tx';
import { appState, nodeState, nodeUnstakingFrom, STAKED, UNSTAKING } from '../../fixtures/staking';
import { MIN_TX_FEE } from '../../network/spec';
import { expectUnlessKnownDefect } from '../../fixtures/known-defect';

// pocket-js refuses http:// service URLs (a known defect, tests/sdk/known-defects.spec.ts).
const serviceUrl = (host: string) => new URL(`https://${host}.pokt.local:443`);

test.describe('offline transactions, protobuf codec', () => {
  test('send: signed offline, the node moves exactly amount and fee', async ({ network, sdk, chain, accounts }) => {
    const [from, to] = accounts(2);
    const amount = 123_456_789n;
    const [fromBefore, toBefore] = [await chain.balance(from.address), await chain.balance(to.address)];
    const tx = await buildOffline(sdk, 'protobuf', from, network.chainId, (s) => s.send(from.address, to.address, amount.toString()));
    expect(tx.address).toBe(from.address);
    const committed = await commitRaw(sdk, chain, tx);
    expect(committed).toMatchObject({ code: 0, messageType: 'send' });
    expect(committed.signer.toLowerCase()).toBe(from.address);
    expect(await chain.balance(from.address, committed.height)).toBe(fromBefore - amount - MIN_TX_FEE);
    expect(await chain.balance(to.address, committed.height)).toBe(toBefore + amount);
  });

  test('appStake then appUnstake: the app is staked with the chains and amount, then unstaking', async ({ network, sdk, chain, rawRpc, accounts }) => {
    const [app] = accounts(1);
    const url = network.node(1).rpcUrl;
    const stake = 4_000_000_000n;
    const before = await chain.balance(app.address);
    const staked = await commitRaw(sdk, chain, await buildOffline(sdk, 'protobuf', app, network.chainId, (s) => s.appStake(app.publicKey, ['0021'], stake.toString())));
    expect(staked.code, staked.log).toBe(0);
    expect(await appState(rawRpc, url, app.address, staked.height)).toMatchObject({ status: STAKED, staked_tokens: stake.toString(), chains: ['0021'] });
    expect(await chain.balance(app.address, staked.height)).toBe(before - stake - MIN_TX_FEE);

    const unstaked = await commitRaw(sdk, chain, await buildOffline(sdk, 'protobuf', app, network.chainId, (s) => s.appUnstake(app.address)));
    expect(unstaked.code, unstaked.log).toBe(0);
    // The app module begins unstaking in the transaction's own block.
    expect(await appState(rawRpc, url, app.address, unstaked.height)).toMatchObject({ status: UNSTAKING });
  });

  test('nodeStake custodial, then nodeUnjail: the node is staked with output = operator; the unjail reaches the pos module (not jailed, code 105)', async ({ network, sdk, chain, rawRpc, accounts }) => {
    const [op] = accounts(1);
    const stake = 20_000_000_000n;
    const staked = await commitRaw(sdk, chain, await buildOffline(sdk, 'protobuf', op, network.chainId, (s) => s.nodeStake(op.publicKey, op.address, ['0001'], stake.toString(), serviceUrl('offline-custodial'))));
    expect(staked.code, staked.log).toBe(0);
    expect(await nodeState(rawRpc, network.node(1).rpcUrl, op.address, staked.height)).toMatchObject({
      status: STAKED, tokens: stake.toString(), chains: ['0001'], service_url: 'https://offline-custodial.pokt.local:443', output_address: op.address, jailed: false,
    });
    // A node without a process is jailed only after a whole signed-blocks window, so right after
    // its stake it is not jailed: the decoded unjail must get pos's "not jailed" answer.
    const unjail = await outcomeOf(sdk, chain, await buildOffline(sdk, 'protobuf', op, network.chainId, (s) => s.nodeUnjail(op.address, op.address)));
    expect(unjail).toMatchObject({ committed: { code: 105, messageType: 'unjail_validator' } });
  });

  test('nodeStake non-custodial with an output address, then nodeUnstake signed by the output address', async ({ network, sdk, chain, rawRpc, accounts }) => {
    const [op, output] = accounts(2);
    const url = network.node(1).rpcUrl;
    const staked = await commitRaw(sdk, chain, await buildOffline(sdk, 'protobuf', op, network.chainId, (s) => s.nodeStake(op.publicKey, output.address, ['0001'], '20000000000', serviceUrl('offline-noncustodial'))));
    expect(staked.code, staked.log).toBe(0);
    expect((await nodeState(rawRpc, url, op.address, staked.height))?.output_address).toBe(output.address);

    const unstake = await commitRaw(sdk, chain, await buildOffline(sdk, 'protobuf', output, network.chainId, (s) => s.nodeUnstake(op.address, output.address)));
    expect(unstake.code, unstake.log).toBe(0);
    expect(unstake.signer.toLowerCase()).toBe(output.address);
    // pos parks the node until its session ends, then begins unstaking it: wait for that block,
    // not for a fixed time (on a busy machine blocks come slower than a second).
    const { height, node } = await nodeUnstakingFrom(network, rawRpc, op.address, unstake.height);
    expect(node, `${op.address} at height ${height}, the last block of the unstake's session`).toMatchObject({ status: UNSTAKING, output_address: output.address });
  });

  test('appUnjail: signed offline, the app module decodes it and answers "not jailed" (code 105)', async ({ network, sdk, chain, accounts }) => {
    const [app] = accounts(1);
    const staked = await commitRaw(sdk, chain, await buildOffline(sdk, 'protobuf', app, network.chainId, (s) => s.appStake(app.publicKey, ['0021'], '2000000000')));
    expect(staked.code, staked.log).toBe(0);
    const outcome = await outcomeOf(sdk, chain, await buildOffline(sdk, 'protobuf', app, network.chainId, (s) => s.appUnjail(app.address)));
    const observed = 'committed' in outcome ? { committed: { code: outcome.committed.code, messageType: outcome.committed.messageType } } : outcome;
    await expectUnlessKnownDefect('PJS-APPUNJAIL-TYPEURL', observed, {
      correct: { committed: { code: 105, messageType: 'app_unjail' } },
      // pocket-js's protobuf appUnjail uses the type URL x.nodes.MsgUnjail, which the node cannot decode.
      defect: {
        refused: {
          codespace: 'sdk',
          code: 2,
          message: 'ERROR:\nCodespace: sdk\nCode: 2\nMessage: "error decoding transaction: no concrete type registered for type URL x.nodes.MsgUnjail against interface *types.ProtoMsg"\n',
        },
      },
    }, network);
  });
});
