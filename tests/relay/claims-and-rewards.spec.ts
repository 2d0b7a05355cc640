/**
 * The claim → proof → reward cycle on a private network (so no other test's relays mint in the
 * same blocks and the sums are exact). Relays are built with our own relay implementation so
 * their count is known to the relay.
 */
import { test, expect } from '../../fixtures/pocket';
import { currentSession, postRelay, relayTo } from '../../fixtures/relay';
import { pollUntil } from '../../network/poll';
import { randomKey } from '../../network/keys';

interface Claim { header: { app_public_key: string; chain: string; session_height: number }; total_proofs: number; from_address: string }

test('relays become a claim, the claim a proof, and the proof exactly relays × multiplier of new tokens, 89% to the servicer @blocker', async ({ startNetwork, rawRpc }) => {
  test.setTimeout(240_000);
  const net = await startNetwork((b) => b.withAccounts(2));
  const url = net.node(1).rpcUrl;
  const [app, smallApp] = net.keys.apps;
  const minProofs = Number(net.genesis.app_state.pocketcore.params.minimum_number_of_proofs);
  const multiplier = BigInt(net.genesis.app_state.pos.params.relays_to_tokens_multiplier);
  const daoShare = BigInt(net.genesis.app_state.pos.params.dao_allocation);
  const proposerShare = BigInt(net.genesis.app_state.pos.params.proposer_allocation);

  // Relays start at a fresh session's first block, so none of them straddles a session boundary.
  const bps = net.spec.timing.blocksPerSession;
  const start = await currentSession(net, rawRpc, app, '0021');
  await net.waitForHeight(start.sessionHeight + bps);
  const session = await currentSession(net, rawRpc, app, '0021');
  const servicer = session.servicers[0];
  const relays = minProofs + 2;
  const client = randomKey();
  await test.step(`${relays} valid relays, one duplicate and one to a node outside the session`, async () => {
    const sent = [];
    for (let i = 0; i < relays; i++) sent.push(relayTo(session, servicer, app, '0021', { client }));
    for (const r of sent) expect((await postRelay(rawRpc, servicer, r)).status).toBe(200);
    expect((await postRelay(rawRpc, servicer, sent[0])).error?.code, 'duplicate refused').toBe(37);
    if (session.outsiders[0]) expect((await postRelay(rawRpc, session.outsiders[0], relayTo(session, session.outsiders[0], app, '0021'))).error?.code).toBe(14);
  });
  const smallSession = await currentSession(net, rawRpc, smallApp, '0021');
  await test.step(`${minProofs - 1} relays for a second app: fewer than minimum_number_of_proofs`, async () => {
    for (let i = 0; i < minProofs - 1; i++) expect((await postRelay(rawRpc, smallSession.servicers[0], relayTo(smallSession, smallSession.servicers[0], smallApp, '0021'))).status).toBe(200);
  });

  const claims = (address: string) => rawRpc.post<{ result: Claim[] | null }>(url, '/v1/query/nodeclaims', { address, height: 0 }).then((r) => r.data.result ?? []);
  const claim = await test.step('the servicer claims exactly the valid relays once the session ends', () =>
    pollUntil(async () => (await claims(servicer.address)).find((c) => c.header.app_public_key === app.publicKey && c.header.session_height === session.sessionHeight), { timeoutMs: 60_000, intervalMs: 1000, what: 'the claim' }).catch(async (err: Error) => {
      const txs = await rawRpc.post(url, '/v1/query/accounttxs', { address: servicer.address, per_page: 50 });
      throw new Error(`${err.message}; the servicer's transactions: ${JSON.stringify(txs.data).slice(0, 1500)}`);
    }),
  );
  expect(claim.total_proofs).toBe(relays);
  expect(claim.from_address).toBe(servicer.address);
  const one = await rawRpc.post<Claim | { value: Claim }>(url, '/v1/query/nodeclaim', { address: servicer.address, app_pubkey: app.publicKey, blockchain: '0021', session_block_height: session.sessionHeight, height: 0, receipt_type: 'relay' });
  expect(one.status, JSON.stringify(one.data)).toBe(200);
  // nodeclaim answers the claim in amino JSON ({type, value}); nodeclaims lists bare claims.
  const single = 'value' in one.data ? one.data.value : one.data;
  expect(Number(single.total_proofs), `nodeclaim returns the same claim (amino JSON: numbers as strings): ${JSON.stringify(one.data).slice(0, 300)}`).toBe(relays);

  const proof = await test.step('the servicer proves the claim after the waiting period', () =>
    pollUntil(async () => {
      const txs = await rawRpc.post<{ txs: Array<{ height: number; tx_result: { code: number; message_type?: string }; stdTx: { fee: Array<{ amount: string }> } }> }>(url, '/v1/query/accounttxs', { address: servicer.address, per_page: 50 });
      return txs.data.txs.find((t) => t.tx_result.message_type === 'proof' && t.tx_result.code === 0);
    }, { timeoutMs: 90_000, intervalMs: 1000, what: 'the proof transaction' }),
  );
  expect(await claims(servicer.address)).not.toContainEqual(expect.objectContaining({ header: claim.header }));

  await test.step('the proof block mints relays × relays_to_tokens_multiplier; the servicer gets all but the DAO and proposer shares', async () => {
    const H = proof.height;
    const supply = async (h: number) => BigInt((await rawRpc.post<{ total: string }>(url, '/v1/query/supply', { height: h })).data.total);
    const minted = (await supply(H)) - (await supply(H - 1));
    const reward = BigInt(relays) * multiplier;
    expect(minted).toBe(reward);
    const balance = async (h: number) => BigInt((await rawRpc.post<{ balance: number }>(url, '/v1/query/balance', { address: servicer.address, height: h })).data.balance);
    const delta = (await balance(H)) - (await balance(H - 1));
    const toServicer = (reward * (100n - daoShare - proposerShare)) / 100n;
    const fee = BigInt(proof.stdTx?.fee?.[0]?.amount ?? '0');
    const prevBlock = await rawRpc.post<{ block: { header: { proposer_address: string } } }>(url, '/v1/query/block', { height: H - 1 });
    const servicerProposedPrevious = prevBlock.data.block.header.proposer_address.toLowerCase() === servicer.address;
    // The proposer of the previous block also receives its cut of that block's fee pool.
    if (servicerProposedPrevious) expect(delta).toBeGreaterThanOrEqual(toServicer - fee);
    else expect(delta).toBe(toServicer - fee);
  });

  await test.step('the second app\'s session had too few relays: no claim for it', async () => {
    const all = (await Promise.all(net.nodes.map((n) => claims(n.address)))).flat();
    expect(all.filter((c) => c.header.app_public_key === smallApp.publicKey)).toHaveLength(0);
  });
});
