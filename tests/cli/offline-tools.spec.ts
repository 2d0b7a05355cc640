/**
 * An operator's offline tools, run on a validator's own datadir with its process stopped (they
 * open the databases the running node holds locked): `pocket util export-genesis-for-reset`, the
 * export a network restarts from after a halt, and `pocket reset`, which wipes a node's chain data
 * and keys so it can sync again from genesis.
 *
 * `util unsafe-rollback`, which the manual regression also lists, is in no release we test
 * (RC-0.9.2 … RC-0.12.0 register no such command; the help-listing tests in operator-tools.spec.ts
 * hold the exact command set).
 */
import { test, expect } from '../../fixtures/pocket';
import { cliJson, pocketCli, printedLines, type CliResult } from '../../fixtures/cli';
import { expectOneChain, firstSignedAfter } from '../../fixtures/consensus';
import { expectUnlessKnownDefect } from '../../fixtures/known-defect';
import { privateNetwork } from '../../fixtures/private-network';
import { RawRpc } from '../../fixtures/rpc-client';
import { tendermintKeyFiles } from '../../network/keys';
import { DATADIR } from '../../network/node-config';
import type { OfflineNode } from '../../network/node-maintenance';
import type { ExportedGenesis } from '../../network/spec';

/** Every file under the datadir, relative to it, sorted. */
async function filesIn(node: OfflineNode): Promise<string[]> {
  const res = await node.exec(['find', DATADIR, '-type', 'f']);
  return res.stdout.split('\n').filter(Boolean).map((f) => f.slice(DATADIR.length + 1)).sort();
}

test.describe('offline operator tools on a stopped validator', () => {
  test('export-genesis-for-reset prints the state export under the new chain id and a chain boots from it; reset wipes chain data and keys, and the node syncs back from genesis', { tag: '@nightly' }, async ({ startNetwork, sdk, recorder }) => {
    test.setTimeout(420_000);
    const rpc = new RawRpc(recorder); // the rawRpc fixture would also boot the worker's shared network, unused here
    // A wide signing window: node4 is down for longer than the default 10 blocks allow before a downtime jail.
    const { network: net, chain, accounts } = await privateNetwork(startNetwork, sdk, recorder, (b) => b.withAccounts(2).withTiming({ signedBlocksWindow: 1000 }));
    const [from, to] = accounts(2);
    const url = net.node(1).rpcUrl;

    const exportHeight = await test.step('state worth exporting: a send, then every node one block past it', async () => {
      const sent = await chain.send(from, to.address, 1_234_567n);
      expect(sent.code).toBe(0);
      await net.waitForHeight(sent.height + 2);
      return sent.height + 1;
    });
    const fromRpc = await net.exportState(exportHeight);
    expect(fromRpc.genesis.chain_id, 'the RPC export leaves the chain id to fill in').toBe('<Input New ChainID>');

    const offline = await test.step('node4 stops; its datadir goes into a container that runs no node', () => net.takeOffline(4));
    const others = [1, 2, 3].map((i) => net.node(i));
    // The highest block once node4 is down: it may still have precommitted this one and the next.
    const downAt = await net.height();
    const newChainId = `reset-${Date.now().toString(36)}`;

    const fromCli = await test.step('export-genesis-for-reset <height> <new chain id> prints the RPC export at that height, under the new id', async () => {
      const res = await pocketCli(offline, ['util', 'export-genesis-for-reset', String(exportHeight), newChainId]);
      expect(res.exitCode).toBe(0);
      const genesis = cliJson<ExportedGenesis>(res);
      expect(genesis).toEqual({ ...fromRpc.genesis, chain_id: newChainId });
      return genesis;
    });

    const refusals = await test.step('a height that is not a number, and one the node never reached, each print one error and no genesis', async () => {
      const notANumber = await pocketCli(offline, ['util', 'export-genesis-for-reset', 'ten', newChainId]);
      expect(printedLines(notANumber)).toEqual(['error parsing height:  strconv.Atoi: parsing "ten": invalid syntax']);
      const beyond = await pocketCli(offline, ['util', 'export-genesis-for-reset', String(exportHeight + 100_000), newChainId]);
      expect(printedLines(beyond)).toHaveLength(1);
      expect(printedLines(beyond)[0]).toMatch(/^could not export genesis state: /);
      return [['not a number', notANumber], ['beyond the chain', beyond]] as Array<[string, CliResult]>;
    });

    await test.step('reset removes the chain data, the address book and the node\'s keys, and keeps its config, genesis and chains', async () => {
      const before = await filesIn(offline);
      expect(before, 'a validator datadir with chain data and keys').toEqual(expect.arrayContaining(['config/genesis.json', 'config/config.json', 'config/chains.json', 'priv_val_key.json', 'node_key.json', 'data/application.db/CURRENT']));
      const res = await pocketCli(offline, ['reset']);
      expect(res.exitCode).toBe(0);
      const wiped = new Set(['priv_val_key.json', 'priv_val_state.json', 'node_key.json', 'config/addrbook.json']);
      expect(await filesIn(offline)).toEqual(before.filter((f) => !f.startsWith('data/') && !wiped.has(f)));
      expect((await offline.exec(['ls', '-A', `${DATADIR}/data`])).stdout, 'data/ is recreated empty').toBe('');
    });

    await test.step('with its keys restored and fast sync on, node4 syncs from genesis to the chain and signs blocks again', async () => {
      const config = JSON.parse((await offline.exec(['cat', `${DATADIR}/config/config.json`])).stdout) as { tendermint_config: { FastSyncMode: boolean } };
      config.tendermint_config.FastSyncMode = true; // block sync first: the reset key must not sign heights it signed before
      const node4 = await net.bringOnline(offline, { ...tendermintKeyFiles(net.keys.validators[3]), 'config/config.json': JSON.stringify(config, null, 2) });
      const resumedAt = await net.height();
      await net.waitForHeight(resumedAt + 1, { nodes: [node4], timeoutMs: 120_000 });
      await expectOneChain(net, resumedAt);
      const blockOne = async (u: string) => (await rpc.post<{ block_id: { hash: string } }>(u, '/v1/query/block', { height: 1 })).data.block_id.hash;
      expect(await blockOne(node4.rpcUrl), 'node4 holds block 1 again: synced from genesis').toBe(await blockOne(url));
      await firstSignedAfter(net, rpc, node4.address.toLowerCase(), downAt + 1);
      expect((await rpc.post<{ jailed: boolean }>(url, '/v1/query/node', { address: node4.address })).data.jailed, 'node4 is not jailed').toBe(false);
      for (const n of others) expect(await n.height()).toBeGreaterThan(exportHeight);
    });

    await test.step('a chain boots from the CLI\'s export and holds the balances and nodes of the export height', async () => {
      const restarted = await startNetwork((b) => b.withExportedState({ ...fromRpc, genesis: fromCli }, { chainId: newChainId }));
      const keys = [...net.keys.validators, ...net.keys.accounts, net.keys.daoOwner];
      for (const k of keys) {
        const [was, is] = await Promise.all([chain.balance(k.address, exportHeight), rpc.post<{ balance: number }>(restarted.node(1).rpcUrl, '/v1/query/balance', { address: k.address, height: 1 })]);
        expect(BigInt(is.data.balance), `${k.address}'s balance at block 1`).toBe(was);
      }
      const nodesAt = async (u: string, height: number) => ((await rpc.post<{ result: Array<{ address: string; tokens: string; jailed: boolean; status: number }> }>(u, '/v1/query/nodes', { height, opts: { page: 1, per_page: 100 } })).data.result)
        .map(({ address, tokens, jailed, status }) => ({ address, tokens, jailed, status }));
      expect(await nodesAt(restarted.node(1).rpcUrl, 1)).toEqual(await nodesAt(url, exportHeight));
    });

    // Last: a known defect ends the test.
    await expectUnlessKnownDefect('PC-CLI-ERRORS-EXIT-ZERO', refusals.map(([what, res]) => [what, res.exitCode]), {
      correct: refusals.map(([what]) => [what, 1]),
      defect: refusals.map(([what]) => [what, 0]),
    }, net);
  });
});
