import { test, expect } from '../../fixtures/pocket';
import { Governance } from '../../fixtures/governance';

const param = async (rawRpc: { post: (u: string, r: string, b: unknown) => Promise<{ data: any }> }, url: string, key: string, height = 0) =>
  (await rawRpc.post(url, '/v1/query/param', { key, height })).data.param_value as string;

test.describe('protocol params (pocket-js with our typed gov messages)', () => {
  test('the DAO owner changes a param and every node reports the new value from the tx height on @critical', async ({ network, chain, rawRpc }) => {
    const gov = new Governance(chain);
    const key = 'pos/MaxValidators';
    const before = await param(rawRpc, network.node(1).rpcUrl, key);
    const next = String(Number(before) + 1);
    const tx = await gov.changeParam(network.keys.daoOwner, key, JSON.stringify(next));
    expect(tx.code, tx.log).toBe(0);
    for (const node of network.nodes) expect(await param(rawRpc, node.rpcUrl, key, tx.height), node.name).toBe(next);
    expect(await param(rawRpc, network.node(1).rpcUrl, key, tx.height - 1)).toBe(before);
  });

  test('a param change by an account outside the ACL is refused and changes nothing @critical', async ({ network, chain, rawRpc, accounts }) => {
    const [outsider] = accounts(1);
    const gov = new Governance(chain);
    const key = 'pos/StakeMinimum';
    const before = await param(rawRpc, network.node(1).rpcUrl, key);
    const tx = await gov.changeParam(outsider, key, JSON.stringify('1000000'));
    expect(tx.code, 'not the ACL owner of the param').not.toBe(0);
    expect(await param(rawRpc, network.node(1).rpcUrl, key, tx.height)).toBe(before);
  });
});
