/**
 * A node runner joins a running network: a new full node syncs from genesis, stakes, becomes a
 * validator that signs blocks, and is dealt into sessions where it serves relays. Private network:
 * a fifth validator changes every session of a network.
 */
import { test, expect } from '../../fixtures/pocket';
import { cliTx } from '../../network/dao-cli';
import { importKey } from '../../fixtures/governance';
import { currentSession, postRelay, relayTo } from '../../fixtures/relay';
import { RawRpc } from '../../fixtures/rpc-client';
import { nodeState, STAKED } from '../../fixtures/staking';
import { pollUntil } from '../../network/poll';
import { verifyServicerSignature } from '../../network/relay-crypto';
import { MIN_TX_FEE } from '../../network/spec';

interface SigningInfo { address: string; missed_blocks_counter: number; jailed_blocks_counter: number }

test('a node that joins, syncs and stakes becomes a validator that signs and a servicer dealt into sessions @critical', async ({ startNetwork, recorder }) => {
  test.setTimeout(300_000);
  const rawRpc = new RawRpc(recorder); // the fixture would also boot the worker's shared network, unused here
  const net = await startNetwork((b) => b.withAccounts(1));
  const [runner] = net.keys.accounts;
  const url = net.node(1).rpcUrl;

  const joined = await test.step('a fifth node starts from genesis and catches up by block sync', async () => {
    const node = await net.addNode(runner);
    await net.waitForHeight(await net.node(1).height(), { nodes: [node], timeoutMs: 120_000 });
    return node;
  });
  expect(net.nodes).toHaveLength(5);

  // The CLI inside the new node stakes it, as a node runner does: pocket-js refuses the http://
  // service URL this local node has (a known pocket-js defect, tests/sdk).
  await importKey(joined, runner);
  const stake = await cliTx(joined, ['nodes', 'stake', 'custodial', runner.address, '20000000000', '0001,0021', joined.serviceUrl, net.chainId, String(MIN_TX_FEE), 'false'], 'stake the joining node');
  expect(stake.code, stake.log).toBe(0);
  expect(await nodeState(rawRpc, url, runner.address, stake.height)).toMatchObject({ status: STAKED, service_url: joined.serviceUrl, jailed: false });

  const window = net.spec.timing.signedBlocksWindow;
  await test.step(`it signs blocks: after ${2 * window} blocks (two signing windows) it is not jailed and has missed no block`, async () => {
    await net.waitForHeight(stake.height + 2 * window);
    const node = await nodeState(rawRpc, url, runner.address);
    expect(node).toMatchObject({ status: STAKED, jailed: false });
    const info = (await rawRpc.post<{ result: SigningInfo[] }>(url, '/v1/query/signinginfo', { address: runner.address, height: 0 })).data.result[0];
    expect(info).toMatchObject({ address: runner.address, missed_blocks_counter: 0, jailed_blocks_counter: 0 });
  });

  await test.step('it is dealt into a session and serves a relay there with a signature of its own key', async () => {
    const apps = net.keys.apps;
    const found = await pollUntil(async () => {
      for (const app of apps) for (const chain of ['0021', '0001']) {
        const session = await currentSession(net, rawRpc, app, chain);
        if (session.servicers.includes(joined)) return { session, app, chain };
      }
      return undefined;
    }, { timeoutMs: 90_000, intervalMs: 1000, what: `${joined.name} in a session of ${apps.length} apps × 2 chains` });
    const relay = relayTo(found.session, joined, found.app, found.chain);
    const answer = await postRelay(rawRpc, joined, relay);
    expect(answer.status, JSON.stringify(answer.error)).toBe(200);
    expect(verifyServicerSignature(answer.response!, answer.signature!, relay.proof)).toBe(true);
  });
});
