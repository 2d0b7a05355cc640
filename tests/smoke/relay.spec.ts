import axios from 'axios';
import { test, expect } from '../../fixtures/pocket';
import { relayClient, sendRelay } from '../../fixtures/relay';
import { responseHash, type RelayProof } from '../../network/relay-crypto';
import { addressOf, verify } from '../../network/keys';
import type { RawRpc } from '../../fixtures/rpc-client';

interface DispatchedSession { header: { session_height: number }; nodes: Array<{ address: string; public_key: string }> }

async function dispatch(rpc: RawRpc, url: string, app: string, chain: string): Promise<DispatchedSession> {
  const res = await rpc.post<{ session: DispatchedSession }>(url, '/v1/client/dispatch', { app_public_key: app, chain, session_height: 0 });
  expect(res.status, JSON.stringify(res.data)).toBe(200);
  return res.data.session;
}

test.describe('relays reach real chains', () => {
  test('a relay to the EVM chain returns what the chain itself answers, signed by a staked servicer of the current session @smoke @blocker', async ({ network, pocket, sdk, rawRpc }) => {
    const evm = network.chain('0021');
    const app = network.keys.apps[0];
    const url = network.node(1).rpcUrl;
    const rc = await relayClient(sdk, pocket, app);
    const request = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] });
    // Sessions around the relay: a session boundary may fall between the relay and one dispatch.
    const before = await dispatch(rawRpc, url, app.publicKey, evm.id);
    const relayed = await test.step('relay eth_chainId through pocket-js', () => sendRelay(sdk, pocket, rc, { chain: evm.id, data: request, method: 'POST' }));
    const after = await dispatch(rawRpc, url, app.publicKey, evm.id);
    const direct = await test.step('ask anvil directly (axios: the chain, not pocket-core)', async () =>
      (await axios.post(evm.hostUrl, JSON.parse(request))).data,
    );
    expect(JSON.parse(relayed.payload)).toEqual(direct);
    expect(direct.result).toBe('0x7a69');

    await test.step('the servicer\'s signature over the answer verifies (our relay-spec implementation) against its public key on chain', async () => {
      // The proof exactly as it went on the wire; the servicer signed SHA3(response, proof hash).
      const proof = relayed.relayRequest.proof.toJSON() as unknown as RelayProof;
      const servicerAddress = addressOf(proof.servicer_pub_key);
      const staked = await rawRpc.post<{ public_key: string; status: number; jailed: boolean; chains: string[] }>(url, '/v1/query/node', { address: servicerAddress, height: 0 });
      expect(staked.status, `the servicer ${servicerAddress} is a node on chain: ${JSON.stringify(staked.data)}`).toBe(200);
      expect(staked.data).toMatchObject({ status: 2, jailed: false });
      expect(staked.data.chains).toContain(evm.id);
      const signed = Buffer.from(responseHash(relayed.payload, proof), 'hex');
      expect(verify(staked.data.public_key, signed, relayed.signature), 'the signature verifies with the staked key').toBe(true);
      expect(verify(staked.data.public_key, Buffer.from(responseHash(relayed.payload.replace('0x7a69', '0x7a6a'), proof), 'hex'), relayed.signature), 'and binds the answer: a changed answer does not verify').toBe(false);

      const session = [before, after].find((s) => s.header.session_height === proof.session_block_height);
      expect(session, `the relay's session ${proof.session_block_height} is the one dispatched before (${before.header.session_height}) or after it (${after.header.session_height})`).toBeDefined();
      expect(session!.nodes.map((n) => n.public_key), 'the servicer is a member of the session').toContain(staked.data.public_key);
    });
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
