import { test, expect } from '../../fixtures/pocket';

test.describe('every node follows the same chain', () => {
  test('all nodes report heights within one block and the same block hash at a common height @smoke @blocker', async ({ network, pocket, sdk }) => {
    const heights = await test.step('read the height of every node', () => network.heights());
    for (const [i, h] of heights.entries()) expect(h, `node${i + 1} answers a height`).toBeGreaterThanOrEqual(2);
    const defined = heights.filter((h): h is number => h !== undefined);
    expect(Math.max(...defined) - Math.min(...defined)).toBeLessThanOrEqual(1);

    const common = Math.min(...defined);
    const hashes = await test.step(`read block ${common} from every node through pocket-js`, () =>
      Promise.all(
        network.nodes.map(async (node) => {
          const client = new sdk.Pocket([new URL(node.rpcUrl)], new sdk.HttpRpcProvider(new URL(node.rpcUrl)));
          const res = await client.rpc()!.query.getBlock(BigInt(common));
          if (res instanceof sdk.RpcError) throw new Error(`${node.name}: ${res.message}`);
          return res.blockMeta.blockID.hash;
        }),
      ),
    );
    expect(new Set(hashes).size, `block ${common} hash on every node: ${hashes.join(', ')}`).toBe(1);
    expect(pocket.getDispatchersCount()).toBe(network.nodes.length);
  });

  test('the chain keeps producing blocks @smoke @critical', async ({ chain }) => {
    const start = await chain.height();
    const reached = await test.step('wait for two more blocks', () => chain.waitForHeight(start + 2));
    expect(reached).toBeGreaterThanOrEqual(start + 2);
  });
});
