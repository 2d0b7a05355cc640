import axios from 'axios';
import { test, expect } from '../../fixtures/pocket';
import { relayClient, sendRelay } from '../../fixtures/relay';

test.describe('relays reach real chains', () => {
  test('a relay to the EVM chain returns what the chain itself answers @smoke @blocker', async ({ network, pocket, sdk }) => {
    const evm = network.chain('0021');
    const rc = await relayClient(sdk, pocket, network.keys.apps[0]);
    const request = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] });
    const relayed = await test.step('relay eth_chainId through pocket-js', () => sendRelay(sdk, pocket, rc, { chain: evm.id, data: request, method: 'POST' }));
    const direct = await test.step('ask anvil directly (axios: the chain, not pocket-core)', async () =>
      (await axios.post(evm.hostUrl, JSON.parse(request))).data,
    );
    expect(JSON.parse(relayed.payload)).toEqual(direct);
    expect(direct.result).toBe('0x7a69');
    const servicers = network.nodes.map((n) => n.key.publicKey);
    expect(servicers, 'the answer is signed by a staked servicer').toContain(relayed.proof.servicerPubKey);
  });

  test('a relay to chain 0001 returns what pocket-core itself answers @smoke @blocker', async ({ network, pocket, sdk, rawRpc }) => {
    const rc = await relayClient(sdk, pocket, network.keys.apps[1] ?? network.keys.apps[0]);
    const body = JSON.stringify({ height: 1 });
    const relayed = await test.step('relay POST /v1/query/block {height:1} through pocket-js', () =>
      sendRelay(sdk, pocket, rc, { chain: '0001', data: body, method: 'POST', path: '/v1/query/block' }),
    );
    const direct = await test.step('query block 1 from node1 directly (axios: compare raw bytes)', () => rawRpc.post(network.node(1).rpcUrl, '/v1/query/block', { height: 1 }));
    expect(JSON.parse(relayed.payload)).toEqual(direct.data);
  });
});
