/**
 * Transaction forgery and replay: every one refused with pocket-core's exact refusal, balances
 * unchanged to the upokt. /v1/client/rawtx answers a CheckTx refusal as HTTP 200 with the ABCI
 * code and codespace, and an error before CheckTx (tendermint's mempool) as HTTP 400 {code, message}.
 * The refusals, from RC-0.12.0's source:
 *   - a signature that does not verify, or a signer that is not the message's signer:
 *     x/auth/ante.go ValidateTransaction → sdk.ErrUnauthorized (codespace sdk, code 4)
 *     "signature verification failed for the transaction";
 *   - the same bytes again, at a node whose mempool cache holds them (it saw and committed them):
 *     tendermint mempool/clist_mempool.go ErrTxInCache, through broadcast_tx_sync (HTTP 400).
 */
import { test, expect } from '../../fixtures/pocket';
import { MIN_TX_FEE } from '../../network/spec';
import { SECURITY_FINDING } from '../../reports/categories';

interface RawTxAnswer { code?: number; codespace?: string; raw_log?: string; txhash?: string; message?: string }

const UNAUTHORIZED = { codespace: 'sdk', code: 4 };

/** The refusal of a CheckTx answer: the code, and the codespace its raw_log carries ({codespace, code, message}). */
function refusalOfRawTx(answer: RawTxAnswer): { codespace?: string; code?: number } {
  const log = JSON.parse(answer.raw_log ?? '{}') as { codespace?: string; code?: number };
  expect(log.code, `raw_log and code agree: ${JSON.stringify(answer)}`).toBe(answer.code);
  return { codespace: log.codespace, code: answer.code };
}

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
    expect(replay.status, `${SECURITY_FINDING} the replayed transaction was not refused at the door: ${JSON.stringify(replay.data)}`).toBe(400);
    expect((replay.data as RawTxAnswer).message, 'refused by the mempool cache of a node that committed it').toBe('broadcast_tx_sync: RPC error -32603 - Internal error: tx already exists in cache');
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
    const res = await rawRpc.post<RawTxAnswer>(network.node(1).rpcUrl, '/v1/client/rawtx', { address: request.address, raw_hex_bytes: bytes.toString('hex') });
    expect(res.status, JSON.stringify(res.data)).toBe(200);
    expect(refusalOfRawTx(res.data), `${SECURITY_FINDING} a tampered signature was not refused as unauthorized: ${JSON.stringify(res.data)}`).toEqual(UNAUTHORIZED);
    expect(res.data.raw_log).toContain('signature verification failed for the transaction');
    await chain.waitForHeight((await chain.height()) + 2);
    expect(await chain.balance(from.address)).toBe(before.from);
    expect(await chain.balance(to.address)).toBe(before.to);
  });

  test('a transaction signed by one account for another account\'s funds is refused @critical', async ({ network, chain, sdk, accounts, rawRpc }) => {
    const [victim, thief] = accounts(2);
    // The thief signs a send whose from_address is the victim's.
    // pocket-js builds and signs it without checking the from address: the node must refuse it.
    const request = await chain.sender(thief).send(victim.address, thief.address, '999').createTransaction(network.chainId, MIN_TX_FEE.toString());
    if (request instanceof sdk.RpcError) throw new Error(`pocket-js refused to build the transaction: ${request.code} ${request.message}`);
    const before = { victim: await chain.balance(victim.address), thief: await chain.balance(thief.address) };
    const res = await rawRpc.post<RawTxAnswer>(network.node(1).rpcUrl, '/v1/client/rawtx', { address: request.address, raw_hex_bytes: request.txHex });
    expect(res.status, JSON.stringify(res.data)).toBe(200);
    expect(refusalOfRawTx(res.data), `${SECURITY_FINDING} a send signed by another key was not refused as unauthorized: ${JSON.stringify(res.data)}`).toEqual(UNAUTHORIZED);
    expect(res.data.raw_log).toContain('signature verification failed for the transaction');
    await chain.waitForHeight((await chain.height()) + 2);
    expect(await chain.balance(victim.address)).toBe(before.victim);
    expect(await chain.balance(thief.address), 'not even a fee: the tx never entered a block').toBe(before.thief);
  });
});
