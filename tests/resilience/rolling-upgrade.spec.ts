/**
 * The upgrade path mainnet's node runners take: a network runs the older release
 * (POCKET_CORE_UPGRADE_FROM, default RC-0.11.3) as mainnet ran it, with the codec upgraded and
 * every protocol feature of that release on (the mainnet profile, keys read from its own codec),
 * and nodes move one at a time to the version under test, keeping their data, keys and ports.
 * Second path: the DAO schedules the newer version at a height, the older binaries stop there,
 * and node runners restart them on the newer binary from their data.
 */
import { test, expect, chainOn } from '../../fixtures/pocket';
import { attachJson } from '../../fixtures/allure';
import { freshSessions, rewardCycleNetwork, sendRelays, waitForClaim, waitForProof, type Claim, type CommittedProof } from '../../fixtures/claims';
import { proofReward, rewardParamsFrom, type ProofReward } from '../../fixtures/reward-math';
import { RawRpc } from '../../fixtures/rpc-client';
import { appVersionOf, featureKeysOfModule, govVersion, upgradeState } from '../../network/upgrade';
import { expectOneChain } from '../../fixtures/consensus';
import { expectUnlessKnownDefect } from '../../fixtures/known-defect';
import { CliGovernance, importKey } from '../../fixtures/governance';
import { pollUntil } from '../../network/poll';
import { pocketCoreImage, resolvePocketCore } from '../../network/images/pocket-core';
import { readSettings, upgradeFromVersion } from '../../network/settings';
import { MIN_TX_FEE } from '../../network/spec';
import type { StartedPocketNetwork } from '../../network/pocket-network';
import type { PocketNode } from '../../network/pocket-node';
import type { CommittedTx } from '../../fixtures/chain';

const CHAIN = '0021';

/** What a node runner compares before and after an upgrade, read at one height. */
async function stateAt(rpc: RawRpc, net: StartedPocketNetwork, node: PocketNode, height: number) {
  const post = async (route: string, body: Record<string, unknown>) => {
    const res = await rpc.post(node.rpcUrl, route, { height, ...body });
    expect(res.status, `${node.name} ${route} at ${height}: ${JSON.stringify(res.data).slice(0, 200)}`).toBe(200);
    return res.data;
  };
  const keys = [...net.keys.validators, ...net.keys.apps, ...net.keys.accounts];
  return {
    nodes: await post('/v1/query/nodes', { opts: { page: 1, per_page: 100 } }),
    apps: await post('/v1/query/apps', { opts: { page: 1, per_page: 100 } }),
    // allparams lists each module's params in Go map order (it varies between calls): keyed here.
    params: Object.fromEntries(Object.entries((await post('/v1/query/allparams', {})) as Record<string, Array<{ param_key: string; param_value: string }>>)
      .map(([group, list]) => [group, Object.fromEntries(list.map((p) => [p.param_key, p.param_value]).sort(([a], [b]) => a.localeCompare(b)))])),
    balances: await Promise.all(keys.map((k) => post('/v1/query/balance', { address: k.address }))),
    supply: await post('/v1/query/supply', {}),
  };
}

/**
 * The reward pocket-core must mint for `claim` proven in block `proof.height`, from the state the
 * proof was delivered on (height - 1), read from `node`: pos params, the features on, the servicer.
 */
async function expectedReward(rpc: RawRpc, node: PocketNode, servicer: string, claim: Claim, proof: CommittedProof): Promise<ProofReward> {
  const at = proof.height - 1;
  const params = await rpc.post<{ node_params: Array<{ param_key: string; param_value: string }> }>(node.rpcUrl, '/v1/query/allparams', { height: at });
  const upgrade = await rpc.post<{ Features?: string[] | null }>(node.rpcUrl, '/v1/query/upgrade', { height: at });
  const features = Object.fromEntries((upgrade.data.Features ?? []).map((f) => { const [k, h] = f.split(':'); return [k, Number(h)]; }));
  const on = (key: string) => features[key] !== undefined && features[key] <= proof.height;
  const v = await rpc.post<{ tokens: string; output_address?: string; reward_delegators?: Record<string, number> | null }>(node.rpcUrl, '/v1/query/node', { address: servicer, height: at });
  // Claim and proof each cost one base fee (fee multiplier 1): the RewardDelegators compensation.
  const rewardCost = 2n * MIN_TX_FEE;
  return proofReward(
    rewardParamsFrom(params.data.node_params),
    { rscal: on('RSCAL'), perChainRttm: on('PerChainRTTM'), rewardDelegators: on('RewardDelegators') },
    claim.header.chain,
    BigInt(claim.total_proofs),
    { address: servicer, outputAddress: v.data.output_address || servicer, tokens: BigInt(v.data.tokens), rewardDelegators: v.data.reward_delegators ?? undefined },
    rewardCost,
  );
}

test('nodes upgraded one at a time from the release mainnet runs keep one chain, every transaction, their state, and pay a claim made before the upgrade @critical', { tag: '@nightly' }, async ({ startNetwork, sdk, recorder }) => {
  test.setTimeout(900_000);
  const rpc = new RawRpc(recorder); // the rawRpc fixture would also boot the worker's shared network, unused here
  const settings = readSettings();
  const target = await test.step('the version under test is built', () => pocketCoreImage({ version: settings.pocketCoreVersion, userImage: settings.pocketCoreImage }));
  const older = await resolvePocketCore(upgradeFromVersion());
  // The default feature profile (mainnet): the codec upgrade and every key of the older release's
  // codec, at boot; sessions and proof waiting period shaped for a reward cycle (fixtures/claims).
  const net = await startNetwork((b) => rewardCycleNetwork(b.withPocketCoreVersion(upgradeFromVersion()).withAccounts(8)));
  const from = await appVersionOf(net.node(1));
  const to = target.appVersion;
  expect(from, `${upgradeFromVersion()} reports its source's AppVersion`).toBe(older.appVersion);
  expect(from, 'two different binaries').not.toBe(to);
  const record = await upgradeState(net.node(1).rpcUrl);
  expect(record, `${from}'s network runs as mainnet did: its codec upgraded and its whole feature set on`).toMatchObject({ height: net.protocolUpgradeHeight, version: govVersion(from) });
  expect(Object.keys(record.features).sort()).toEqual(featureKeysOfModule(older.moduleDir).sort());

  // Every node restarts once, together, before the upgrade, as every mainnet node had since the
  // codec upgrade. pocket's tendermint picks proposers with the codec upgrade height it read at
  // start (codec.GetCodecUpgradeHeight()): 0 on a node started before the DAO's upgrade, the
  // upgrade height on one started after it, and below height 30040 the latter also hashes its
  // local LastCommit into the choice (GetProposerRandomized). Nodes started before and after the
  // upgrade then disagree on the proposer of every round: restarting half of them stalled the
  // chain at one height for over 90 s. On mainnet (heights above 30040) neither applies.
  await test.step('every node restarts once after the boot-time protocol upgrade (all nodes pick proposers alike)', async () => {
    const h = await net.height();
    await Promise.all(net.nodes.map((n) => n.restart()));
    await expectOneChain(net, h + 2);
  });

  const [app] = net.keys.apps;
  const minProofs = Number(net.genesis.app_state.pocketcore.params.minimum_number_of_proofs);
  const relays = minProofs + 2;
  const session = (await freshSessions(net, rpc, app, [CHAIN]))[CHAIN];
  const servicer = session.servicers[0];
  const claim = await test.step(`${relays} relays served by ${servicer.name} on ${from}, claimed by it on ${from}`, async () => {
    await sendRelays(rpc, session, servicer, app, CHAIN, relays);
    const c = await waitForClaim(rpc, net.node(1).rpcUrl, servicer.address, app, CHAIN, session.sessionHeight);
    expect(c.total_proofs).toBe(relays);
    return c;
  });
  const claimedAt = await net.height();

  const chain = (i: number) => chainOn(sdk, net, recorder, i);
  const pay = (i: number) => ({ from: net.keys.accounts[i], to: net.keys.accounts[net.keys.accounts.length - 1].address, amount: BigInt(1_000 + i) });
  const txs: CommittedTx[] = [];
  const send = async (nodeIndex: number) => {
    const p = pay(txs.length);
    const tx = await chain(nodeIndex).send(p.from, p.to, p.amount);
    expect(tx.code, `protobuf send through ${net.node(nodeIndex).name}: ${tx.log}`).toBe(0);
    txs.push(tx);
  };
  await send(1);
  const checkpoint = Math.max(txs[0].height, claimedAt);
  await net.waitForHeight(checkpoint + 1);
  const before = await stateAt(rpc, net, net.node(1), checkpoint);

  // The servicer goes first, before its claim matures: its proof is sent by the newer binary from
  // the evidence the older one stored. The other nodes follow in order.
  const order = [servicer.index, ...net.nodes.map((n) => n.index).filter((i) => i !== servicer.index)];
  const upgradedAt: Record<number, number> = {};
  for (const [step, index] of order.entries()) {
    await test.step(`node${index}: ${from} → ${to}, data kept`, async () => {
      if (step > 0) {
        // Mixed period: one send through a node already on the newer version, one through an older one.
        await send(order[0]);
        await send(order[order.length - 1]);
      }
      const upgraded = await net.upgradeNode(index, target);
      expect(await appVersionOf(upgraded)).toBe(to);
      upgradedAt[index] = await upgraded.height();
      await expectOneChain(net, await net.height());
    });
  }
  await attachJson('node versions after the rolling upgrade', Object.fromEntries(await Promise.all(net.nodes.map(async (n) => [n.name, await appVersionOf(n)]))));

  await test.step('every transaction sent before and during the mixed period is committed on every node', async () => {
    for (const node of net.nodes) {
      for (const tx of txs) expect((await chain(node.index).waitForTx(tx.hash)).code, `${tx.hash} on ${node.name}`).toBe(0);
    }
  });

  await test.step(`stakes, apps, params, balances and supply at height ${checkpoint}, read before the upgrade, are unchanged on every upgraded node`, async () => {
    for (const node of net.nodes) expect.soft(await stateAt(rpc, net, node, checkpoint), node.name).toEqual(before);
  });

  const upgradedServicer = net.node(servicer.index);
  const proof = await test.step(`${servicer.name}, now on ${to}, proves the claim it made on ${from}`, async () => {
    const p = await waitForProof(rpc, upgradedServicer.rpcUrl, servicer.address, claim);
    expect(p.height, `the proof is committed after ${servicer.name} restarted on ${to} (height ${upgradedAt[servicer.index]})`).toBeGreaterThan(upgradedAt[servicer.index]);
    expect(p.height, 'the claim was committed before any node was upgraded').toBeGreaterThan(claimedAt);
    await expectOneChain(net, Math.max(p.height, await net.height()));
    // Which binary each node ran when the proof block was made (the servicer is always on the newer one).
    await attachJson(`versions at the proof block ${p.height}`, Object.fromEntries(order.map((i) => [`node${i}`, upgradedAt[i] < p.height ? `${to} (since ${upgradedAt[i]})` : `${from} (until ${upgradedAt[i]})`])));
    return p;
  });

  await test.step(`the proof block mints the exact reward for ${relays} relays (RSCAL weighting, fee compensation) on every node`, async () => {
    const reward = await expectedReward(rpc, net.node(1), servicer.address, claim, proof);
    await attachJson('expected reward', { minted: String(reward.minted), toFeePool: String(reward.toFeePool), payouts: Object.fromEntries([...reward.payouts].map(([a, v]) => [a, String(v)])) });
    for (const node of net.nodes) {
      const supply = async (h: number) => BigInt((await rpc.post<{ total: string }>(node.rpcUrl, '/v1/query/supply', { height: h })).data.total);
      expect((await supply(proof.height)) - (await supply(proof.height - 1)), `${node.name}: minted in block ${proof.height}`).toBe(reward.minted);
      const balance = async (h: number) => BigInt((await rpc.post<{ balance: number | string }>(node.rpcUrl, '/v1/query/balance', { address: servicer.address, height: h })).data.balance);
      const delta = (await balance(proof.height)) - (await balance(proof.height - 1));
      const expected = (reward.payouts.get(servicer.address) ?? 0n) - proof.fee;
      const prev = await rpc.post<{ block: { header: { proposer_address: string } } }>(node.rpcUrl, '/v1/query/block', { height: proof.height - 1 });
      // The previous block's proposer also receives its cut of that block's fee pool in this block.
      if (prev.data.block.header.proposer_address.toLowerCase() === servicer.address) expect(delta, `${node.name}: servicer's balance change`).toBeGreaterThanOrEqual(expected);
      else expect(delta, `${node.name}: servicer's balance change`).toBe(expected);
    }
  });
});

test('the DAO schedules the newer version: the older nodes stop at its height, and the newer binaries carry on from their data @critical', { tag: '@nightly' }, async ({ startNetwork, sdk, recorder }) => {
  test.setTimeout(900_000);
  const settings = readSettings();
  const target = await test.step('the version under test is built', () => pocketCoreImage({ version: settings.pocketCoreVersion, userImage: settings.pocketCoreImage }));
  const net = await startNetwork((b) => b.withPocketCoreVersion(upgradeFromVersion()).withAccounts(3));
  const from = await appVersionOf(net.node(1));
  const to = target.appVersion;
  // The gov module compares versions without their tag: RC-0.11.3's binary reports RC-0.11.1 and
  // its network's record says 0.11.1; the upgrade names the target's AppVersion without it.
  const version = govVersion(to);
  expect((await upgradeState(net.node(1).rpcUrl)).version).toBe(govVersion(from));
  const features = (await upgradeState(net.node(1).rpcUrl)).features;

  // The older CLI in node1 sends the DAO's upgrade: the mainnet procedure.
  await importKey(net.node(1), net.keys.daoOwner);
  const at = (await net.height()) + 6;
  const scheduled = await new CliGovernance(net.node(1), net.chainId).upgrade(net.keys.daoOwner, at, version);
  expect(scheduled.code, scheduled.log).toBe(0);
  expect(await upgradeState(net.node(1).rpcUrl), 'the record names the new version and height and keeps the features').toEqual({ height: at, version, features });

  await test.step(`the ${from} nodes halt at block ${at}: those that begin it log MUST UPGRADE and exit, the others wait at ${at - 1}; none commits ${at}`, async () => {
    const mustUpgrade = (n: PocketNode) => n.logs.read().includes(`GRACEFULLY EXITING FOR UPGRADE, AT HEIGHT: ${at}`) && /MUST UPGRADE TO NEXT VERSION/.test(n.logs.read());
    // A node exits while executing block `at`; a node that had not yet collected the commit of
    // `at` when its peers left can never get it (the rest lack 2/3 of the votes) and waits at at-1.
    const outcome = await pollUntil(async () => {
      const states = await Promise.all(net.nodes.map(async (n) => {
        if (n.logs.hasEnded) return mustUpgrade(n) ? 'exited: MUST UPGRADE' : 'exited without MUST UPGRADE';
        return (await n.height().catch(() => -1)) === at - 1 ? `waiting at ${at - 1}` : undefined;
      }));
      if (states.some((s) => s === undefined) || !states.some((s) => s === 'exited: MUST UPGRADE')) return undefined;
      return Object.fromEntries(net.nodes.map((n, i) => [n.name, states[i]!]));
    }, { timeoutMs: 90_000, intervalMs: 500, what: `the ${from} nodes to halt at height ${at}` });
    await attachJson(`${from} nodes at the upgrade height`, outcome);
    for (const node of net.nodes) {
      expect(outcome[node.name], node.name).not.toBe('exited without MUST UPGRADE');
      const log = node.logs.read();
      expect(log, `${node.name} committed block ${at - 1}`).toMatch(new RegExp(`Committed state\\s+module=state height=${at - 1} `));
      expect(log, `${node.name} committed nothing at ${at} on ${from}`).not.toMatch(new RegExp(`Committed state\\s+module=state height=${at} `));
    }
  });

  for (const node of [...net.nodes]) await test.step(`${node.name} restarts on ${to} from its data`, () => net.upgradeNode(node.index, target));
  await test.step(`the chain moves past ${at} on ${to} and takes transactions`, async () => {
    await net.waitForHeight(at + 2, { timeoutMs: 120_000 });
    for (const node of net.nodes) expect(await appVersionOf(node)).toBe(to);
    expect(await upgradeState(net.node(1).rpcUrl)).toEqual({ height: at, version, features });
    const [a, b] = net.keys.accounts;
    const tx = await chainOn(sdk, net, recorder).send(a, b.address, 1_234n);
    expect(tx.code, tx.log).toBe(0);
    expect(tx.height).toBeGreaterThan(at);
    await expectOneChain(net, tx.height);
  });
});

test('a DAO param change during the mixed period leaves the older and newer nodes on one chain @critical', { tag: '@nightly' }, async ({ startNetwork, recorder }) => {
  test.setTimeout(600_000);
  const rpc = new RawRpc(recorder);
  const settings = readSettings();
  const target = await test.step('the version under test is built', () => pocketCoreImage({ version: settings.pocketCoreVersion, userImage: settings.pocketCoreImage }));
  const net = await startNetwork((b) => b.withPocketCoreVersion(upgradeFromVersion()).withAccounts(1));
  const from = await appVersionOf(net.node(1));
  const to = target.appVersion;
  await test.step('every node restarts once after the boot-time protocol upgrade (all nodes pick proposers alike)', async () => {
    const h = await net.height();
    await Promise.all(net.nodes.map((n) => n.restart()));
    await expectOneChain(net, h + 2);
  });
  await test.step(`node1: ${from} → ${to}; node2-4 stay on ${from}`, async () => {
    const upgraded = await net.upgradeNode(1, target);
    expect(await appVersionOf(upgraded)).toBe(to);
    await expectOneChain(net, await net.height());
  });

  // The value it already has: only the bytes each version stores can differ.
  const key = 'auth/FeeMultipliers';
  const changed = await new CliGovernance(net.node(2), net.chainId).changeParam(net.keys.daoOwner, key, '{"fee_multiplier":null,"default":"1"}');
  expect(changed.code, changed.log).toBe(0);
  const H = changed.height;
  const older = net.nodes.slice(1);
  // The older nodes hold 3/4 of the votes: they go on whatever node1 does.
  await net.waitForHeight(H + 3, { nodes: older, timeoutMs: 60_000 });
  const stored = async (node: PocketNode) => (await rpc.post<{ param_value: string }>(node.rpcUrl, '/v1/query/param', { key, height: H })).data.param_value;
  const observed = {
    [`${key} stored by ${from}`]: await stored(net.node(2)),
    [`${key} stored by ${to}`]: await stored(net.node(1)),
    [`${to} node commits block ${H + 1}`]: (await net.node(1).height().catch(() => 0)) > H,
  };
  await attachJson(`mixed period: ${key} changed at height ${H}`, observed);
  const olderValue = '{"fee_multiplier":null,"default":"1"}';
  await expectUnlessKnownDefect('PC-PARAM-JSON-MIXED-FORK', observed, {
    correct: { [`${key} stored by ${from}`]: olderValue, [`${key} stored by ${to}`]: olderValue, [`${to} node commits block ${H + 1}`]: true },
    defect: { [`${key} stored by ${from}`]: olderValue, [`${key} stored by ${to}`]: '{"default":"1","fee_multiplier":null}', [`${to} node commits block ${H + 1}`]: false },
  });
  await expectOneChain(net, H + 1);
});
