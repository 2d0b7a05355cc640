/**
 * `pocket gov …` through CliGovernance (the DAO key sits in node1's keybase with an empty
 * passphrase: `gov enable` has no --pwd flag, so every gov command reads it from stdin) compared
 * with the same action through pocket-js (Governance): both accepted, same state change, and the
 * CLI's stored message bytes equal what our typed message encodes for the same fields.
 */
import { test, expect, chainOn } from '../../fixtures/pocket';
import { ok, type Chain } from '../../fixtures/chain';
import { CliGovernance, Governance } from '../../fixtures/governance';
import { encodeChangeParam, encodeDaoTransfer, encodeUpgrade, GOV_TYPE_URLS, messageOfTx } from '../../fixtures/gov-messages';
import type { RawRpc } from '../../fixtures/rpc-client';
import { upgradeState } from '../../network/upgrade';

async function storedMessage(rawRpc: RawRpc, url: string, hash: string) {
  const res = await rawRpc.post<{ tx: string }>(url, '/v1/query/tx', { hash });
  expect(res.status).toBe(200);
  return messageOfTx(res.data.tx);
}

const totalSupply = async (chain: Chain, height: number) => BigInt(ok(chain.sdk, await chain.rpc.query.getSupply(BigInt(height)), `supply at ${height}`).total.toString());

test.describe('pocket gov', () => {
  test('transfer from the CLI and from pocket-js: both accepted, same credit, same message bytes @critical', async ({ network, chain, rawRpc, accounts }) => {
    const [cliTo, sdkTo] = accounts(2);
    const dao = network.keys.daoOwner;
    const amount = 777_000n;
    const before = { cli: await chain.balance(cliTo.address), sdk: await chain.balance(sdkTo.address) };
    const cliTx = await new CliGovernance(network.node(1), network.chainId).transfer(dao, cliTo.address, amount);
    const sdkTx = await new Governance(chain).transfer(dao, sdkTo.address, amount);
    expect(cliTx.code, cliTx.log).toBe(0);
    expect(sdkTx.code, sdkTx.log).toBe(0);
    expect(await chain.balance(cliTo.address, cliTx.height)).toBe(before.cli + amount);
    expect(await chain.balance(sdkTo.address, sdkTx.height)).toBe(before.sdk + amount);

    const url = network.node(1).rpcUrl;
    const cliMsg = await storedMessage(rawRpc, url, cliTx.hash);
    const sdkMsg = await storedMessage(rawRpc, url, sdkTx.hash);
    expect(cliMsg.typeUrl).toBe(GOV_TYPE_URLS.daoTransfer);
    expect(sdkMsg.typeUrl).toBe(GOV_TYPE_URLS.daoTransfer);
    expect(cliMsg.value.toString('hex')).toBe(encodeDaoTransfer({ from: dao.address, to: cliTo.address, amount, action: 'dao_transfer' }).toString('hex'));
    expect(sdkMsg.value.toString('hex')).toBe(encodeDaoTransfer({ from: dao.address, to: sdkTo.address, amount, action: 'dao_transfer' }).toString('hex'));
  });

  test('burn from the CLI and from pocket-js each lower the total supply by the amount', async ({ network, chain, rawRpc }) => {
    const dao = network.keys.daoOwner;
    const amount = 3_000_000n;
    const cliTx = await new CliGovernance(network.node(1), network.chainId).burn(dao, amount);
    const sdkTx = await new Governance(chain).burn(dao, amount);
    expect(cliTx.code, cliTx.log).toBe(0);
    expect(sdkTx.code, sdkTx.log).toBe(0);
    expect(cliTx.height, 'separate blocks, so each supply drop is its own').toBeLessThan(sdkTx.height);
    for (const tx of [cliTx, sdkTx]) expect((await totalSupply(chain, tx.height - 1)) - (await totalSupply(chain, tx.height))).toBe(amount);

    const url = network.node(1).rpcUrl;
    const cliMsg = await storedMessage(rawRpc, url, cliTx.hash);
    expect(cliMsg.typeUrl).toBe(GOV_TYPE_URLS.daoTransfer);
    // `gov burn` takes a <toAddr> but never reads it (only a 4-argument call would, and cobra
    // demands 5): the CLI's message has no to_address, where our SDK message repeats the sender.
    expect(cliMsg.value.toString('hex')).toBe(encodeDaoTransfer({ from: dao.address, to: '', amount, action: 'dao_burn' }).toString('hex'));
    expect((await storedMessage(rawRpc, url, sdkTx.hash)).value.toString('hex')).toBe(encodeDaoTransfer({ from: dao.address, to: dao.address, amount, action: 'dao_burn' }).toString('hex'));
  });

  test('change_param from the CLI and from pocket-js each set the param; same message bytes', async ({ network, chain, rawRpc }) => {
    const dao = network.keys.daoOwner;
    const url = network.node(1).rpcUrl;
    const key = 'application/MaxApplications';
    const param = async (height: number) => (await rawRpc.post<{ param_key: string; param_value: string }>(url, '/v1/query/param', { key, height })).data.param_value;
    const current = BigInt(JSON.parse(await param(0)) as string);
    const cliValue = JSON.stringify((current + 1n).toString());
    const sdkValue = JSON.stringify((current + 2n).toString());

    const cliTx = await new CliGovernance(network.node(1), network.chainId).changeParam(dao, key, cliValue);
    expect(cliTx.code, cliTx.log).toBe(0);
    expect(await param(cliTx.height)).toBe((current + 1n).toString());
    const sdkTx = await new Governance(chain).changeParam(dao, key, sdkValue);
    expect(sdkTx.code, sdkTx.log).toBe(0);
    expect(await param(sdkTx.height)).toBe((current + 2n).toString());

    const cliMsg = await storedMessage(rawRpc, url, cliTx.hash);
    expect(cliMsg.typeUrl).toBe(GOV_TYPE_URLS.changeParam);
    expect(cliMsg.value.toString('hex')).toBe(encodeChangeParam({ from: dao.address, key, valueJson: cliValue }).toString('hex'));
    expect((await storedMessage(rawRpc, url, sdkTx.hash)).value.toString('hex')).toBe(encodeChangeParam({ from: dao.address, key, valueJson: sdkValue }).toString('hex'));
  });

  test('upgrade to the running version and enable of a feature key, on a private network: every node reports them', async ({ startNetwork, sdk, recorder, rawRpc }) => {
    test.setTimeout(300_000);
    const net = await startNetwork((b) => b.withAccounts(1));
    const chain = chainOn(sdk, net, recorder);
    const cli = new CliGovernance(net.node(1), net.chainId);
    const dao = net.keys.daoOwner;
    const boot = await upgradeState(net.node(1).rpcUrl);

    const sameAt = (await chain.height()) + 5;
    const upgrade = await cli.upgrade(dao, sameAt, boot.version);
    expect(upgrade.code, upgrade.log).toBe(0);
    const upgradeMsg = await storedMessage(rawRpc, net.node(1).rpcUrl, upgrade.hash);
    expect(upgradeMsg.typeUrl).toBe(GOV_TYPE_URLS.upgrade);
    expect(upgradeMsg.value.toString('hex')).toBe(encodeUpgrade({ from: dao.address, height: BigInt(sameAt), version: boot.version }).toString('hex'));
    // A node's reported height can run a block ahead of the state it answers queries from.
    await net.waitForHeight(upgrade.height + 1);
    for (const node of net.nodes) {
      const u = await upgradeState(node.rpcUrl);
      expect({ height: u.height, version: u.version }, `${node.name}'s upgrade record`).toEqual({ height: sameAt, version: boot.version });
    }

    // An unknown feature key changes no rule; the gov module records it like any other.
    const featureAt = (await chain.height()) + 4;
    const enable = await cli.enableFeature(dao, 'E2ECLI', featureAt);
    expect(enable.code, enable.log).toBe(0);
    expect(messageOfTx((await rawRpc.post<{ tx: string }>(net.node(1).rpcUrl, '/v1/query/tx', { hash: enable.hash })).data.tx).value.toString('hex'))
      .toBe(encodeUpgrade({ from: dao.address, height: 1n, version: 'FEATURE', features: [`E2ECLI:${featureAt}`] }).toString('hex'));
    await net.waitForHeight(enable.height + 1);
    for (const node of net.nodes) {
      const u = await upgradeState(node.rpcUrl);
      expect(u.features, `${node.name}'s features`).toMatchObject({ ...boot.features, E2ECLI: featureAt });
    }
    await chain.waitForHeight(Math.max(sameAt, featureAt) + 1);
    expect(await chain.height(), 'the chain goes on past both heights').toBeGreaterThan(Math.max(sameAt, featureAt));
  });
});
