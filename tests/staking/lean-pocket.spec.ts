/**
 * LeanPocket (RC-0.10+): one pocket-core process serves several staked servicer keys. Each test
 * runs its own network of 3 classic validators and one lean process with 2 servicer keys, each
 * staked in genesis (15,000 POKT) for every chain with a service URL of its own that reaches the
 * process. Every check names one servicer: a build where the lean keys shared a key, a signature,
 * a claim or a reward fails here.
 */
import { test, expect } from '../../fixtures/pocket';
import { pocketCli } from '../../fixtures/cli';
import { asPvKey, b64, localNodes, postRelayTo, readJson, relayFor, restartOnKeyFiles, sessionsNow, sessionWith, setValidators, type PvKey } from '../../fixtures/lean';
import { expectProgress, firstSignedAfter, signersOf } from '../../fixtures/consensus';
import { blockRewardPayouts, proofReward, rewardParamsFrom, type RewardFeatures } from '../../fixtures/reward-math';
import { RawRpc } from '../../fixtures/rpc-client';
import { nodeState } from '../../fixtures/staking';
import { addressOf, randomKey } from '../../network/keys';
import { LEAN_KEY_FILES } from '../../network/lean-node';
import { DATADIR } from '../../network/node-config';
import { pollUntil } from '../../network/poll';
import { MIN_TX_FEE } from '../../network/spec';
import type { PocketNetwork } from '../../network/pocket-network';
import { verifyServicerSignature } from '../../network/relay-crypto';

/** 3 classic validators + lean1 serving 2 keys; sessions of 4 of the 5 servicers. */
const leanNetwork = (b: PocketNetwork) => b.withNodes(3).withSessionNodeCount(4).withLeanNode(2).withAccounts(1);
const sorted = (xs: string[]) => [...xs].sort();
/** pocket-core's "Failed to find correct servicer PK": a lean process asked to serve a key it does not hold. */
const NOT_MY_SERVICER = { codespace: 'sdk', code: 1 };

test.describe('LeanPocket: several servicers in one process', () => {
  test('each lean servicer is dealt into sessions and serves relays signed with its own key; the proof, not the URL, picks the key @critical', async ({ startNetwork, recorder }) => {
    test.setTimeout(300_000);
    const rpc = new RawRpc(recorder);
    const net = await startNetwork(leanNetwork);
    const lean = net.lean(1);
    const [a, b] = lean.servicers;
    expect(net.nodes.map((n) => n.name)).toEqual(['node1', 'node2', 'node3', 'lean1']);
    expect(new Set(lean.servicers.map((s) => s.serviceUrl)).size, 'one service URL per servicer').toBe(2);

    await test.step('genesis staked both keys with their own service URL; the process says it runs exactly them', async () => {
      for (const s of lean.servicers) expect(await nodeState(rpc, net.node(1).rpcUrl, s.address)).toMatchObject({ status: 2, jailed: false, service_url: s.serviceUrl, tokens: '15000000000', chains: ['0001', '0021'] });
      expect(await localNodes(rpc, lean.process)).toEqual(sorted([a.address, b.address]));
      expect(await localNodes(rpc, net.node(1)), 'a classic node runs its own key only').toEqual([net.node(1).address]);
    });

    for (const [s, other] of [[a, b], [b, a]] as const) {
      await test.step(`${s.lean}/${s.index} (${s.address}) is dealt a seat and answers at its URL with its own signature`, async () => {
        const session = await sessionWith(net, rpc, s.key, lean.process);
        const relay = relayFor(session, s.key);
        const answer = await postRelayTo(rpc, s.serviceUrl, relay);
        expect(answer.status, JSON.stringify(answer.error)).toBe(200);
        expect(JSON.parse(answer.response!)).toMatchObject({ result: '0x7a69' });
        expect(verifyServicerSignature(answer.response!, answer.signature!, relay.proof), 'signed by the servicer the proof names').toBe(true);
        expect(verifyServicerSignature(answer.response!, answer.signature!, { ...relay.proof, servicer_pub_key: other.key.publicKey }), 'not by the other lean key').toBe(false);

        const viaOtherUrl = relayFor(session, s.key);
        const crossed = await postRelayTo(rpc, other.serviceUrl, viaOtherUrl);
        expect(crossed.status, `a relay for ${s.address} sent to ${other.address}'s URL: ${JSON.stringify(crossed.error)}`).toBe(200);
        expect(verifyServicerSignature(crossed.response!, crossed.signature!, viaOtherUrl.proof), 'the same process answers it with the key the proof names').toBe(true);
      });
    }

    await test.step('a relay naming a classic node, sent to the lean process, is refused: it holds no such key', async () => {
      const session = await sessionWith(net, rpc, net.node(1).key, lean.process);
      const answer = await postRelayTo(rpc, a.serviceUrl, relayFor(session, net.node(1).key));
      expect(answer.status).toBe(400);
      expect(answer.error).toMatchObject(NOT_MY_SERVICER);
    });
  });

  test('each lean servicer claims, proves and is paid exactly for its own relays @critical', { tag: '@nightly' }, async ({ startNetwork, recorder }) => {
    test.setTimeout(360_000);
    const rpc = new RawRpc(recorder);
    // 10,000 upokt per relay: a few relays pay more than the claim and proof fees a servicer is
    // compensated for first (RewardDelegators), so the rest of the reward is split as well.
    const net = await startNetwork((b) => leanNetwork(b).withGenesisOverrides({ pos: { params: { relays_to_tokens_multiplier: '10000' } } }));
    const url = net.node(1).rpcUrl;
    const lean = net.lean(1);
    const servicers = lean.servicers;
    // A claim needs minimum_number_of_proofs relays and, whatever that param says, 5 (MsgClaim.ValidateBasic).
    const minProofs = Math.max(5, Number(net.genesis.app_state.pocketcore.params.minimum_number_of_proofs));
    const relaysOf = new Map(servicers.map((s, i) => [s.address, minProofs + i])); // different counts, different rewards
    const bps = net.spec.timing.blocksPerSession;

    const dealt = await test.step('a fresh session that deals both lean servicers a seat (some app on 0021), as the lean process sees it', () =>
      pollUntil(async () => {
        const start = (await sessionsNow(net, rpc, '0021', lean.process))[0].sessionHeight;
        await net.waitForHeight(start + bps, { nodes: [lean.process] });
        const sessions = await sessionsNow(net, rpc, '0021', lean.process);
        const picks = servicers.map((s) => sessions.find((x) => x.members.includes(s.key.publicKey)));
        // Relays start in the session's first two blocks, so none of them straddles its end.
        return picks.every(Boolean) && sessions[0].height - sessions[0].sessionHeight <= 1 ? picks.map((p) => p!) : undefined;
      }, { timeoutMs: 150_000, intervalMs: 0, what: 'a session start where both lean servicers have a seat' }),
    );

    // The two servicers are relayed to at once; each one's relays one after another (pocket-core stores
    // a relay's proof by read-modify-write of the session's evidence, with no lock across the two).
    await test.step(`relays: ${servicers.map((s) => `${relaysOf.get(s.address)} to ${s.address}`).join(', ')}, both at once`, async () => {
      const answers = await Promise.all(servicers.map(async (s, i) => {
        const out = [];
        for (let r = 0; r < relaysOf.get(s.address)!; r++) out.push(await postRelayTo(rpc, s.serviceUrl, relayFor(dealt[i], s.key)));
        return out;
      }));
      for (const answer of answers.flat()) expect(answer.status, JSON.stringify(answer.error)).toBe(200);
    });

    interface Claim { header: { app_public_key: string; chain: string; session_height: number }; total_proofs: number; from_address: string }
    interface Tx { hash: string; height: number; tx_result: { code: number; message_type?: string; signer?: string }; stdTx: { fee: Array<{ amount: string }> } }
    // A claim is listed only until its proof: both are watched at once.
    const claims = await test.step('each servicer claims exactly its own relays, from its own address', () =>
      Promise.all(servicers.map((s, i) => pollUntil(async () => {
        const res = await rpc.post<{ result: Claim[] | null }>(url, '/v1/query/nodeclaims', { address: s.address, height: 0 });
        return (res.data.result ?? []).find((c) => c.header.app_public_key === dealt[i].app.publicKey && c.header.session_height === dealt[i].sessionHeight);
      }, { timeoutMs: 90_000, intervalMs: 500, what: `the claim of ${s.address}` }))),
    );
    for (const [i, s] of servicers.entries()) expect(claims[i], s.address).toMatchObject({ total_proofs: relaysOf.get(s.address), from_address: s.address, header: { chain: '0021' } });
    const proofs = new Map<string, Tx>();
    await test.step('each servicer proves its claim', async () => {
      for (const s of servicers) {
        proofs.set(s.address, await pollUntil(async () => {
          const txs = await rpc.post<{ txs: Tx[] }>(url, '/v1/query/accounttxs', { address: s.address, per_page: 50 });
          return txs.data.txs.find((t) => t.tx_result.message_type === 'proof' && t.tx_result.code === 0);
        }, { timeoutMs: 120_000, intervalMs: 1000, what: `the proof of ${s.address}` }));
      }
    });

    const supply = async (h: number) => (await rpc.post<{ total: string; dao: string }>(url, '/v1/query/supply', { height: h })).data;
    const balance = async (address: string, h: number) => BigInt((await rpc.post<{ balance: number | string }>(url, '/v1/query/balance', { address, height: h })).data.balance);
    const feePool = addressOf(Buffer.from('fee_collector')); // a module account: sha256(name)[:20]
    const on = (key: string, h: number) => net.features[key] !== undefined && h >= net.features[key];
    /** What the proof of `o` pays, computed from the params, features and stake at its block. */
    const rewardOf = async (address: string, h: number) => {
      const params = rewardParamsFrom((await rpc.post<{ node_params: Array<{ param_key: string; param_value: string }> }>(url, '/v1/query/allparams', { height: h })).data.node_params);
      const features: RewardFeatures = { rscal: on('RSCAL', h), perChainRttm: on('PerChainRTTM', h), rewardDelegators: on('RewardDelegators', h) };
      const v = (await nodeState(rpc, url, address, h - 1))!;
      // rewardCost = GetFee(MsgClaim) + GetFee(MsgProof): 10000 upokt each with the default fee multiplier 1.
      const servicer = { address, outputAddress: v.output_address || address, tokens: BigInt(v.tokens), rewardDelegators: (v as { reward_delegators?: Record<string, number> }).reward_delegators };
      return { params, reward: proofReward(params, features, '0021', BigInt(relaysOf.get(address)!), servicer, 2n * MIN_TX_FEE) };
    };
    for (const s of servicers) {
      await test.step(`${s.address}: its proof block mints relays × multiplier × stake weight and pays it all but the DAO and proposer shares`, async () => {
        const proof = proofs.get(s.address)!;
        const H = proof.height;
        const { params, reward } = await rewardOf(s.address, H);
        expect(reward.minted, `${relaysOf.get(s.address)} relays reward something`).toBeGreaterThan(0n);
        let minted = 0n;
        for (const o of servicers.filter((o) => proofs.get(o.address)!.height === H)) minted += (await rewardOf(o.address, H)).reward.minted;
        expect(BigInt((await supply(H)).total) - BigInt((await supply(H - 1)).total), `block ${H} mints the proofs it holds`).toBe(minted);

        // At the start of H the fee pool of H-1 goes to the DAO and to H-1's proposer.
        const pool = await balance(feePool, H - 1);
        const proposer = (await rpc.post<{ block: { header: { proposer_address: string } } }>(url, '/v1/query/block', { height: H - 1 })).data.block.header.proposer_address.toLowerCase();
        const block = blockRewardPayouts(params, pool, { outputAddress: proposer });
        expect(BigInt((await supply(H)).dao) - BigInt((await supply(H - 1)).dao), `the DAO's cut of the ${pool} upokt fee pool`).toBe(block.dao);
        const fee = BigInt(proof.stdTx.fee[0].amount);
        const expected = (reward.payouts.get(s.address) ?? 0n) + (block.payouts.get(s.address) ?? 0n) - fee;
        expect((await balance(s.address, H)) - (await balance(s.address, H - 1)), `${s.address}: its reward${proposer === s.address ? ' and the proposer cut of block ' + (H - 1) : ''}, less the proof fee`).toBe(expected);
      });
    }
    const [r1, r2] = servicers.map((s) => relaysOf.get(s.address)!);
    expect(r1, 'the two servicers were paid for different relay counts').not.toBe(r2);
  });

  test('stopping the lean process takes every servicer it runs out: no signatures, no relays, both jailed @critical', { tag: '@nightly' }, async ({ startNetwork, recorder }) => {
    test.setTimeout(300_000);
    const rpc = new RawRpc(recorder);
    const net = await startNetwork((b) => b.withNodes(3).withSessionNodeCount(3).withLeanNode(2).withAccounts(1));
    const lean = net.lean(1);
    const classic = net.nodes.filter((n) => n !== lean.process);
    const url = net.node(1).rpcUrl;
    const leanAddresses = lean.servicers.map((s) => s.address);

    const before = await test.step('while it runs, the process signs blocks with both keys', async () => {
      const signers = await pollUntil(async () => {
        const got = await signersOf(rpc, url, (await net.node(1).height()) - 1);
        return leanAddresses.every((a) => got.includes(a)) ? got : undefined;
      }, { timeoutMs: 30_000, intervalMs: 1000, what: 'a block signed by both lean keys' });
      expect(signers).toEqual(expect.arrayContaining(leanAddresses));
      return { session: await sessionWith(net, rpc, lean.servicers[0].key) };
    });

    await lean.process.stop();
    const stoppedAt = await net.node(1).height();

    await test.step('its servicers stop serving: every service URL of the process refuses the connection', async () => {
      for (const s of lean.servicers) await expect(postRelayTo(rpc, s.serviceUrl, relayFor(before.session, s.key))).rejects.toThrow(/ECONNREFUSED/);
    });

    await test.step('the classic validators (over 2/3 of the power) go on making blocks that neither lean key signs', async () => {
      const h = await expectProgress(classic, 3);
      for (let k = stoppedAt + 2; k < h; k++) {
        const signers = await signersOf(rpc, url, k);
        for (const a of leanAddresses) expect(signers, `precommits of block ${k}`).not.toContain(a);
      }
    });

    const jailedAt = await test.step('both lean servicers are jailed for downtime; no classic node is', () =>
      pollUntil(async () => {
        const states = await Promise.all(leanAddresses.map((a) => nodeState(rpc, url, a)));
        return states.every((st) => st?.jailed) ? net.node(1).height() : undefined;
      }, { timeoutMs: 120_000, intervalMs: 1000, what: `${leanAddresses.join(' and ')} jailed` }),
    );
    for (const n of classic) expect(await nodeState(rpc, url, n.address, jailedAt), n.name).toMatchObject({ jailed: false });
    interface SigningInfo { address: string; jailed_until: string; missed_blocks_counter: number }
    for (const a of leanAddresses) {
      const info = (await rpc.post<{ result: SigningInfo[] }>(url, '/v1/query/signinginfo', { address: a, height: jailedAt })).data.result[0];
      expect(info.address).toBe(a);
      expect(new Date(info.jailed_until).getTime(), `${a} jailed until a time after the stop`).toBeGreaterThan(Date.now());
    }

    await test.step('the next sessions are dealt to the classic nodes only', async () => {
      await net.waitForHeight(jailedAt + 1, { nodes: classic });
      const sessions = await sessionsNow(net, rpc);
      for (const s of sessions) expect(sorted(s.members)).toEqual(sorted(classic.map((n) => n.key.publicKey)));
    });
  });

  test('pocket accounts set-validators decides exactly which keys a lean process serves and signs with', async ({ startNetwork, recorder }) => {
    test.setTimeout(300_000);
    const rpc = new RawRpc(recorder);
    // A 100-block sign window: the restart must not get the servicer it keeps jailed for downtime.
    const net = await startNetwork((n) => leanNetwork(n).withTiming({ signedBlocksWindow: 100 }));
    const lean = net.lean(1);
    const [a, b] = lean.servicers;
    const node = lean.process;
    const fresh = randomKey(); // a key an operator adds before staking it

    await test.step('at boot set-validators wrote the process\'s key files from its key file: both keys, in order, the first as node key', async () => {
      expect(await readJson<PvKey[]>(node, `${DATADIR}/${LEAN_KEY_FILES.privValKey}`)).toEqual([asPvKey(a.key), asPvKey(b.key)]);
      expect((await readJson<{ priv_key: { value: string } }>(node, `${DATADIR}/${LEAN_KEY_FILES.nodeKey}`)).priv_key.value).toBe(b64(a.key.privateKey));
      expect(await localNodes(rpc, node)).toEqual(sorted([a.address, b.address]));
    });

    const scratch = await test.step(`set-validators with a key file of ${b.address} and an unstaked key writes exactly those keys`, async () => {
      const dir = await setValidators(node, [b.key, fresh]);
      expect(await readJson<PvKey[]>(node, `${dir}/${LEAN_KEY_FILES.privValKey}`)).toEqual([asPvKey(b.key), asPvKey(fresh)]);
      expect(await readJson<unknown[]>(node, `${dir}/${LEAN_KEY_FILES.privValState}`), 'one fresh sign state per key').toEqual([{ height: '0', round: '0', step: 0 }, { height: '0', round: '0', step: 0 }]);
      expect((await readJson<{ priv_key: { value: string } }>(node, `${dir}/${LEAN_KEY_FILES.nodeKey}`)).priv_key.value, 'the first key is the node key').toBe(b64(b.key.privateKey));
      const got = await pocketCli(node, ['accounts', 'get-validators'], { datadir: dir });
      expect(got.stdout.match(/Node Address: \w+/g)).toEqual([`Node Address: ${b.address}`, `Node Address: ${fresh.address}`]);
      return dir;
    });

    const restartedAt = await test.step('the process restarted on those key files runs exactly those keys', async () => {
      await restartOnKeyFiles(net, node, scratch);
      const h = await net.node(1).height();
      await net.waitForHeight(h, { nodes: [node], timeoutMs: 120_000 });
      expect(await localNodes(rpc, node)).toEqual(sorted([b.address, fresh.address]));
      return h;
    });

    await test.step(`${b.address} serves and signs again; ${a.address}, still staked, is neither served nor signed for`, async () => {
      const session = await sessionWith(net, rpc, b.key, node);
      const relay = relayFor(session, b.key);
      const answer = await postRelayTo(rpc, b.serviceUrl, relay);
      expect(answer.status, JSON.stringify(answer.error)).toBe(200);
      expect(verifyServicerSignature(answer.response!, answer.signature!, relay.proof)).toBe(true);
      const refused = await postRelayTo(rpc, a.serviceUrl, relayFor(session, a.key));
      expect(refused.status).toBe(400);
      expect(refused.error).toMatchObject(NOT_MY_SERVICER);
      const signed = await firstSignedAfter(net, rpc, b.address, restartedAt);
      const signers = await signersOf(rpc, net.node(1).rpcUrl, signed);
      expect(signers).not.toContain(a.address);
      expect(signers).not.toContain(fresh.address);
    });
  });
});
