/** `pocket query …` must print the same data as the matching RPC route at the same height. */
import { test, expect } from '../../fixtures/pocket';
import { cliJson, pocketCli } from '../../fixtures/cli';

test.describe('pocket query', () => {
  test('block, supply, node, app, balance, params and upgrade equal their RPC routes at the same height', async ({ network, chain, rawRpc }) => {
    const node = network.node(1);
    const h = (await chain.height()) - 1;
    const v = network.node(2).address;
    const app = network.keys.apps[0].address;
    const pairs: Array<[string[], string, Record<string, unknown>]> = [
      [['query', 'block', String(h)], '/v1/query/block', { height: h }],
      [['query', 'supply', String(h)], '/v1/query/supply', { height: h }],
      [['query', 'node', v, String(h)], '/v1/query/node', { address: v, height: h }],
      [['query', 'app', app, String(h)], '/v1/query/app', { address: app, height: h }],
      [['query', 'balance', app, String(h)], '/v1/query/balance', { address: app, height: h }],
      [['query', 'node-params', String(h)], '/v1/query/nodeparams', { height: h }],
      [['query', 'pocket-params', String(h)], '/v1/query/pocketparams', { height: h }],
      [['query', 'param', 'pos/StakeMinimum', String(h)], '/v1/query/param', { key: 'pos/StakeMinimum', height: h }],
      [['query', 'upgrade', String(h)], '/v1/query/upgrade', { height: h }],
      [['query', 'signing-info', v, String(h)], '/v1/query/signinginfo', { address: v, height: h }],
    ];
    for (const [args, route, body] of pairs) {
      await test.step(`pocket ${args.join(' ')} = POST ${route}`, async () => {
        const res = await pocketCli(node, args);
        expect(res.exitCode).toBe(0);
        const rpc = await rawRpc.post(node.rpcUrl, route, body);
        expect.soft(cliJson(res), args.join(' ')).toEqual(rpc.data);
      });
    }
  });

  test('nodes with pagination flags equals the nodes route with the same options', async ({ network, chain, rawRpc }) => {
    const node = network.node(1);
    const h = (await chain.height()) - 1;
    const res = await pocketCli(node, ['query', 'nodes', '--staking-status', 'staked', '--blockchain', '0021', '--nodePage=1', '--nodeLimit=2', String(h)]);
    const rpc = await rawRpc.post(node.rpcUrl, '/v1/query/nodes', { height: h, opts: { staking_status: 2, blockchain: '0021', page: 1, per_page: 2 } });
    expect(cliJson<{ result: unknown[] }>(res).result).toHaveLength(2);
    expect(cliJson(res)).toEqual(rpc.data);
  });
});
