/** Transaction forgery and replay: every one refused, balances unchanged to the upokt. */
import { test, expect } from '../../fixtures/pocket';
import { MIN_TX_FEE } from '../../network/spec';
import { SECURITY_FINDING } from '../../reports/categories';

test.describe('transaction forgery', () => {
  test('the same signed transaction bytes broadcast twice move the funds once @critical', async ({ network, chain, sdk, accounts, rawRpc }) => {
    const [from, to] = accounts(2);
    const request = await chain.sender(from).send(from.address, to.address, '777').createTransaction(network.chainId, MIN_TX_FEE.toString());
    if (request instanceof sdk.RpcError) throw new Error(request.message);
    const body = { address: request.address, raw_hex_bytes: request.txHex };
    const before = await chain.balance(to.address);
    const first = await rawRpc.post(network.node(1).rpcUrl, '/v1/client/rawtx', body);
    expect(first.status).toBe(200);
    const committed = await chain.waitForTx(first.data.txhash);
    expect(committed.code).toBe(0);
    const replay = await rawRpc.post(network.node(2).rpcUrl, '/v1/client/rawtx', body);
    // A replay is refused at the door (tx already in cache/chain) or fails in the block; never applied.
    const replayCode = replay.data?.code ?? 0;
    expect(replay.status !== 200 || replayCode !== 0, `${SECURITY_FINDING} the replayed transaction was accepted: ${JSON.stringify(replay.data)}`).toBe(true);
    await chain.waitForHeight(committed.height + 2);
    expect(await chain.balance(to.address), `${SECURITY_FINDING} replay moved funds twice`).toBe(before + 777n);
  });

  test('a transaction whose signature was altered is refused and moves nothing @critical', async ({ network, chain, sdk, accounts, rawRpc }) => {
    const [from, to] = accounts(2);
    const request = await chain.sender(from).send(from.address, to.address, '888').createTransaction(network.chainId, MIN_TX_FEE.toString());
    if (request instanceof sdk.RpcError) throw new Error(request.message);
    const bytes = Buffer.from(request.txHex, 'hex');
    // The ed25519 signature sits near the end of the encoded tx: flip a bit in it.
    bytes[bytes.length - 20] ^= 0x01;
    const before = { from: await chain.balance(from.address), to: await chain.balance(to.address) };
    const res = await rawRpc.post(network.node(1).rpcUrl, '/v1/client/rawtx', { address: request.address, raw_hex_bytes: bytes.toString('hex') });
    expect(res.status !== 200 || (res.data?.code ?? 0) !== 0, `${SECURITY_FINDING} a tampered signature was accepted: ${JSON.stringify(res.data)}`).toBe(true);
    await chain.waitForHeight((await chain.height()) + 2);
    expect(await chain.balance(from.address)).toBe(before.from);
    expect(await chain.balance(to.address)).toBe(before.to);
  });

  test('a transaction signed by one account for another account\'s funds is refused @critical', async ({ network, chain, sdk, accounts, rawRpc }) => {
    const [victim, thief] = accounts(2);
    // The thief signs a send whose from_address is the victim's.
    const request = await chain.sender(thief).send(victim.address, thief.address, '999').createTransaction(network.chainId, MIN_TX_FEE.toString());
    const before = await chain.balance(victim.address);
    if (request instanceof sdk.RpcError) {
      expect(request.message).toBeTruthy();
    } else {
      const res = await rawRpc.post(network.node(1).rpcUrl, '/v1/client/rawtx', { address: request.address, raw_hex_bytes: request.txHex });
      expect(res.status !== 200 || (res.data?.code ?? 0) !== 0, `${SECURITY_FINDING} a send signed by another key was accepted`).toBe(true);
    }
    await chain.waitForHeight((await chain.height()) + 2);
    expect(await chain.balance(victim.address)).toBe(before);
  });
});
