import { test, expect } from '../../fixtures/pocket';
import { MIN_TX_FEE } from '../../network/spec';
import { nodeState, STAKED, tokensBeforeRemoval, UNSTAKING, waitForStatus, waitUntilGone } from '../../fixtures/staking';

// pocket-js refuses http:// service URLs (a known pocket-js defect, tested in tests/sdk); these
// nodes are staked with https URLs, which pocket-core only stores.
const url = (host: string) => new URL(`https://${host}.pokt.local:443`);

test.describe('node staking', () => {
  test('a custodial stake makes a new staked servicer and moves exactly stake + fee @critical', async ({ network, chain, rawRpc, accounts }) => {
    const [op] = accounts(1);
    const stake = 20_000_000_000n;
    const before = await chain.balance(op.address);
    const tx = await chain.submitAndCommit(op, (s) => s.nodeStake(op.publicKey, op.address, ['0001'], stake.toString(), url('custodial')));
    expect(tx.code).toBe(0);
    // Read at the tx height: a staked node with no process behind it gets jailed a few blocks later.
    const node = await nodeState(rawRpc, network.node(1).rpcUrl, op.address, tx.height);
    expect(node).toMatchObject({ status: STAKED, tokens: stake.toString(), chains: ['0001'], service_url: 'https://custodial.pokt.local:443', output_address: op.address, jailed: false });
    expect(await chain.balance(op.address, tx.height)).toBe(before - stake - MIN_TX_FEE);
  });

  test('a non-custodial stake records the output address, which then may unstake; the tokens return to it @critical', async ({ network, chain, rawRpc, accounts }) => {
    const [op, output, stranger] = accounts(3);
    const stake = 20_000_000_000n;
    expect((await chain.submitAndCommit(op, (s) => s.nodeStake(op.publicKey, output.address, ['0001'], stake.toString(), url('noncustodial')))).code).toBe(0);
    expect((await nodeState(rawRpc, network.node(1).rpcUrl, op.address))?.output_address).toBe(output.address);

    const refused = await chain.submitAndCommit(stranger, (s) => s.nodeUnstake(op.address, stranger.address));
    expect(refused.code, 'an address that is neither operator nor output cannot unstake (pos code 125)').toBe(125);
    expect((await nodeState(rawRpc, network.node(1).rpcUrl, op.address))?.status).toBe(STAKED);

    const outputBefore = await chain.balance(output.address);
    const unstake = await chain.submitAndCommit(output, (s) => s.nodeUnstake(op.address, output.address));
    expect(unstake.code).toBe(0);
    await test.step('the node is unstaking, then unstaked after unstaking_time', async () => {
      await waitForStatus(() => nodeState(rawRpc, network.node(1).rpcUrl, op.address), UNSTAKING, 'the node to be unstaking');
      await waitUntilGone(() => nodeState(rawRpc, network.node(1).rpcUrl, op.address), 'the node to finish unstaking');
    });
    const goneAt = await chain.height();
    const returned = await tokensBeforeRemoval(rawRpc, network.node(1).rpcUrl, op.address, goneAt);
    // No process runs for this node, so it may have been slashed for downtime: never more than staked.
    expect(returned).toBeLessThanOrEqual(stake);
    expect(returned).toBeGreaterThan(stake * 99n / 100n);
    expect(await chain.balance(output.address, goneAt), 'the output address gets exactly what the node held').toBe(outputBefore - MIN_TX_FEE + returned);
  });

  test('an edit may raise the stake and change chains and URL, never lower the stake', async ({ network, chain, rawRpc, accounts }) => {
    const [op] = accounts(1);
    expect((await chain.submitAndCommit(op, (s) => s.nodeStake(op.publicKey, op.address, ['0001'], '20000000000', url('edit-a')))).code).toBe(0);
    const raised = await chain.submitAndCommit(op, (s) => s.nodeStake(op.publicKey, op.address, ['0001', '0021'], '21000000000', url('edit-b')));
    expect(raised.code).toBe(0);
    expect(await nodeState(rawRpc, network.node(1).rpcUrl, op.address, raised.height)).toMatchObject({ tokens: '21000000000', chains: ['0001', '0021'], service_url: 'https://edit-b.pokt.local:443' });
    const lowered = await chain.submitAndCommit(op, (s) => s.nodeStake(op.publicKey, op.address, ['0001'], '20000000000', url('edit-c')));
    expect(lowered.code, 'lowering a stake is refused (pos code 122)').toBe(122);
    expect(await nodeState(rawRpc, network.node(1).rpcUrl, op.address, lowered.height)).toMatchObject({ tokens: '21000000000', service_url: 'https://edit-b.pokt.local:443' });
  });

  test('a stake below stake_minimum or for more than maximum_chains is refused', async ({ network, chain, rawRpc, accounts }) => {
    const [op] = accounts(1);
    const min = BigInt(network.genesis.app_state.pos.params.stake_minimum);
    const below = await chain.submitAndCommit(op, (s) => s.nodeStake(op.publicKey, op.address, ['0001'], (min - 1n).toString(), url('below')));
    expect(below.code, 'pos code 111: below minimum').toBe(111);
    const max = Number(network.genesis.app_state.pos.params.maximum_chains);
    const chains = Array.from({ length: max + 1 }, (_, i) => (i + 1).toString(16).padStart(4, '0'));
    const tooMany = await chain.submitAndCommit(op, (s) => s.nodeStake(op.publicKey, op.address, chains, min.toString(), url('chains')));
    expect(tooMany.code, 'pos code 120: too many chains').toBe(120);
    expect(await nodeState(rawRpc, network.node(1).rpcUrl, op.address)).toBeUndefined();
  });
});
