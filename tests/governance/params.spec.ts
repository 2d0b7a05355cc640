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

interface AclPair { acl_key: string; address: string }
interface Acl { type: string; value: AclPair[] }

test.describe('the ACL (gov/acl, itself a param the DAO owns)', () => {
  test('the DAO hands one param to a new owner: only that owner may change it from then on; the DAO takes it back @critical', async ({ network, chain, rawRpc, accounts }) => {
    const [newOwner] = accounts(1);
    const url = network.node(1).rpcUrl;
    const gov = new Governance(chain);
    const dao = network.keys.daoOwner;
    // A param no other suite reads or writes, so handing it over disturbs nothing.
    const key = 'pos/MaxJailedBlocks';
    const acl = JSON.parse(await param(rawRpc, url, 'gov/acl')) as Acl;
    const ownerOf = (a: Acl) => a.value.find((p) => p.acl_key === key)?.address;
    expect(ownerOf(acl), 'the DAO owns the param at genesis').toBe(dao.address);
    const withOwner = (address: string): Acl => ({ ...acl, value: acl.value.map((p) => (p.acl_key === key ? { ...p, address } : p)) });

    const handOver = await gov.changeParam(dao, 'gov/acl', JSON.stringify(withOwner(newOwner.address)));
    expect(handOver.code, handOver.log).toBe(0);
    expect(ownerOf(JSON.parse(await param(rawRpc, url, 'gov/acl', handOver.height)) as Acl)).toBe(newOwner.address);

    const before = await param(rawRpc, url, key, handOver.height);
    const byDao = await gov.changeParam(dao, key, JSON.stringify(String(Number(before) + 1)));
    expect(byDao.code, 'the DAO no longer owns the param (gov: unauthorized)').not.toBe(0);
    expect(await param(rawRpc, url, key, byDao.height)).toBe(before);

    const next = String(Number(before) + 2);
    const byOwner = await gov.changeParam(newOwner, key, JSON.stringify(next));
    expect(byOwner.code, byOwner.log).toBe(0);
    expect(await param(rawRpc, url, key, byOwner.height)).toBe(next);

    const takeBack = await gov.changeParam(dao, 'gov/acl', JSON.stringify(acl));
    expect(takeBack.code, takeBack.log).toBe(0);
    expect(ownerOf(JSON.parse(await param(rawRpc, url, 'gov/acl', takeBack.height)) as Acl)).toBe(dao.address);
  });
});
