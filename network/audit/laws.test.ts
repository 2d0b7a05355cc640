/**
 * The auditor fed recorded RPC answers: a small chain (3 nodes, 1 app, 3 accounts, one send at
 * height 11) whose answers are shaped like pocket-core's (app/cmd/rpc/query.go, app/query.go
 * Page/paginate, client.go Dispatch). Each test breaks one law and expects exactly that law.
 */
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { auditNetwork, type AuditReport } from './auditor';
import { MODULE_ACCOUNTS, moduleAddress } from './chain';
import type { RpcAnswer, RpcSource } from './source';

const A = 'a1'.repeat(20), B = 'b2'.repeat(20), C = 'c3'.repeat(20);
const N1 = '01'.repeat(20), N2 = '02'.repeat(20), N3 = '03'.repeat(20);
const APP = 'aa'.repeat(20), APP_PK = 'ab'.repeat(32);
const FEES = moduleAddress('fee_collector');
const TX = 'f0'.repeat(32);
const ZERO_TIME = '0001-01-01T00:00:00Z';

const account = (address: string, amount: bigint) => ({ address, coins: amount ? [{ denom: 'upokt', amount: amount.toString() }] : [], public_key: null });
const node = (address: string, jailed = false) => ({
  address, public_key: address.padEnd(64, '0'), jailed, status: 2, chains: ['0001'], service_url: `https://${address.slice(0, 4)}.pokt.local:8081`,
  tokens: '20000000000', unstaking_time: ZERO_TIME, output_address: '', reward_delegators: null,
});
const app = () => ({ address: APP, public_key: APP_PK, jailed: false, chains: ['0001'], max_relays: '100000', status: 2, staked_tokens: '10000000000', unstaking_time: ZERO_TIME });
const claim = () => ({ header: { app_public_key: APP_PK, chain: '0001', session_height: 5 }, merkle_root: { merkleHash: '', range: { lower: '0', upper: '0' } }, total_proofs: '7', from_address: N1, evidence_type: 1, expiration_height: 40 });

interface State {
  accounts: any[];
  nodes: any[];
  apps: any[];
  claims: any[];
  supplyExtra: bigint;
}

/**
 * State before the send (heights ≤ 10), after it (11: A pays B 1 POKT and a 10000 fee), and after
 * block 12's BeginBlock split the fee: 9090 to the DAO (10 / (10 + 1)), 910 to block 11's proposer N1.
 */
function states(): Record<number, State> {
  const base = (a: bigint, b: bigint, fees: bigint, dao = 0n, proposer = 0n): State => ({
    accounts: [
      account(A, a), account(B, b), account(C, 5_000_000n), account(N1, 1_000_000n + proposer),
      { ...account(MODULE_ACCOUNTS.nodeStakedPool, 60_000_000_000n), name: 'staked_tokens_pool', permissions: ['burner', 'minter', 'staking'] },
      { ...account(MODULE_ACCOUNTS.appStakedPool, 10_000_000_000n), name: 'application_staked_tokens_pool', permissions: ['burner', 'minter', 'staking'] },
      { ...account(MODULE_ACCOUNTS.dao, 1_000_000_000n + dao), name: 'dao', permissions: ['burner', 'minter', 'staking'] },
      ...(fees ? [{ ...account(FEES, fees), name: 'fee_collector', permissions: [] }] : []),
    ],
    nodes: [node(N1), node(N2), node(N3)],
    apps: [app()],
    claims: [claim()],
    supplyExtra: 0n,
  });
  return { 1: base(100_000_000n, 2_000_000n, 0n), 11: base(98_990_000n, 3_000_000n, 10_000n), 12: base(98_990_000n, 3_000_000n, 0n, 9_090n, 910n) };
}

const sumCoins = (accs: any[]) => accs.reduce((s, a) => s + a.coins.reduce((t: bigint, c: any) => t + BigInt(c.amount), 0n), 0n);

/** pocket-core's paginate (app/query.go): total_pages divides by the answered page's length. */
function paginate(items: any[], page: number, perPage: number) {
  const start = (page - 1) * perPage;
  if (start >= items.length) return { result: null, total_pages: 0, page: 0 };
  const slice = items.slice(start, start + perPage);
  return { result: slice, total_pages: Math.max(1, Math.ceil(items.length / slice.length)), page };
}

interface Faults {
  state?: (s: Record<number, State>) => void;
  /** Rewrites a small page (not the whole-list read) of a list route. */
  page?: (route: string, page: number, items: any[], all: any[]) => any[];
  accountTxs?: (address: string, height: number, txs: any[], received: boolean) => any[];
  block?: (node: number, height: number, b: any) => any;
}

function recording(faults: Faults = {}): RpcSource {
  const st = states();
  faults.state?.(st);
  const at = (h: number): State => st[Math.max(...Object.keys(st).map(Number).filter((k) => k <= h))];
  const tx = { hash: TX.toUpperCase(), height: 11, index: 0, tx_result: { code: 0, data: null, log: '', info: '', events: [], codespace: '', signer: A.toUpperCase(), recipient: B.toUpperCase(), message_type: 'send' }, tx: 'AAAA', stdTx: { msg: { type: 'pos/Send', value: { from_address: A, to_address: B, amount: '1000000' } }, fee: [{ denom: 'upokt', amount: '10000' }], memo: '', entropy: 1, signature: { pub_key: A, signature: 'ff' } } };
  const txsAt = (h: number) => (h === 11 ? [tx] : []);
  const listed = (route: string, all: any[], page = 1, perPage = 30) => {
    const p = paginate(all, page, perPage);
    if (faults.page && perPage < 10_000 && p.result) p.result = faults.page(route, page, p.result, all);
    return p;
  };
  const answer = (nodeIndex: number, route: string, b: any): any => {
    const h = Number(b.height ?? 0) || 12;
    const s = at(h);
    const total = sumCoins(s.accounts) + s.supplyExtra;
    const bal = (addr: string) => sumCoins(s.accounts.filter((a) => a.address === addr));
    switch (route) {
      case '/v1/query/height': return { height: 12 };
      case '/v1/query/supply': {
        const nodeStaked = bal(MODULE_ACCOUNTS.nodeStakedPool), appStaked = bal(MODULE_ACCOUNTS.appStakedPool), dao = bal(MODULE_ACCOUNTS.dao);
        const staked = nodeStaked + appStaked + dao;
        return { node_staked: `${nodeStaked}`, app_staked: `${appStaked}`, dao: `${dao}`, total_staked: `${staked}`, total_unstaked: `${total - staked}`, total: `${total}` };
      }
      case '/v1/query/accounts': return listed(route, s.accounts, b.page, b.per_page);
      case '/v1/query/nodes': return listed(route, s.nodes, b.opts?.page, b.opts?.per_page);
      case '/v1/query/apps': return listed(route, s.apps, b.opts?.page, b.opts?.per_page);
      case '/v1/query/nodeclaims': return paginate(s.claims, b.page ?? 1, b.per_page ?? 30);
      case '/v1/query/account': return s.accounts.find((a) => a.address === b.address) ?? null;
      case '/v1/query/balance': return { balance: Number(bal(b.address)) };
      case '/v1/query/node': return s.nodes.find((n) => n.address === b.address);
      case '/v1/query/app': return s.apps.find((a) => a.address === b.address);
      case '/v1/query/block': {
        const block = { block_id: { hash: `B10C${h}`.padEnd(64, '0') }, block: { header: { height: `${h}`, num_txs: `${txsAt(h).length}`, proposer_address: N1.toUpperCase(), time: `2026-11-30T23:00:${String(h).padStart(2, '0')}Z`, app_hash: `A9${h}`.padEnd(64, '0') } } };
        return faults.block ? faults.block(nodeIndex, h, block) : block;
      }
      case '/v1/query/blocktxs': return { txs: txsAt(h), page_count: txsAt(h).length, total_txs: txsAt(h).length };
      case '/v1/query/tx': return b.hash.toLowerCase() === TX ? tx : undefined;
      case '/v1/query/accounttxs': {
        let txs = txsAt(h).filter((t) => (b.received ? t.tx_result.recipient : t.tx_result.signer).toLowerCase() === b.address);
        if (faults.accountTxs) txs = faults.accountTxs(b.address, h, txs, Boolean(b.received));
        return { txs, page_count: txs.length, total_txs: txs.length };
      }
      case '/v1/query/allparams': return { app_params: [{ param_key: 'application/AppUnstakingTime', param_value: '1814000000000000' }], node_params: [{ param_key: 'pos/BlocksPerSession', param_value: '4' }, { param_key: 'pos/DAOAllocation', param_value: '10' }, { param_key: 'pos/ProposerPercentage', param_value: '1' }], pocket_params: [{ param_key: 'pocketcore/SessionNodeCount', param_value: '2' }], gov_params: [], auth_params: [] };
      case '/v1/query/param': return { param_key: b.key, param_value: { 'application/AppUnstakingTime': '1814000000000000', 'pos/BlocksPerSession': '4', 'pos/DAOAllocation': '10', 'pos/ProposerPercentage': '1', 'pocketcore/SessionNodeCount': '2' }[b.key as string] };
      case '/v1/query/state': return { chain_id: 'pocket-e2e', app_state: { auth: { accounts: s.accounts.map((a) => ({ type: a.name ? 'posmint/ModuleAccount' : 'posmint/Account', value: a })) }, pos: { validators: s.nodes }, application: { applications: s.apps }, pocketcore: { claims: s.claims } } };
      case '/v1/client/dispatch': return { session: { header: { app_public_key: APP_PK, chain: b.chain, session_height: 9 }, key: 'k'.repeat(44), nodes: [node(N2), node(N1)] }, block_height: 12 };
      default: return undefined;
    }
  };
  return {
    nodes: ['node1', 'node2', 'node3'],
    async call(n, route, body): Promise<RpcAnswer> {
      const data = answer(n, route, body);
      return data === undefined ? { status: 400, data: { code: 400, message: `no recording for ${route} ${JSON.stringify(body)}` } } : { status: 200, data };
    },
  };
}

/** The clean recording with some allparams values replaced. */
function recordingWith(params: Record<string, string>): RpcSource {
  const inner = recording();
  return {
    nodes: inner.nodes,
    async call(n, route, body) {
      const a = await inner.call(n, route, body);
      if (route !== '/v1/query/allparams') return a;
      const groups = Object.fromEntries(Object.entries(a.data).map(([g, ps]) => [g, (ps as any[]).map((p) => (p.param_key in params ? { ...p, param_value: params[p.param_key] } : p))]));
      return { ...a, data: groups };
    },
  };
}

const audit = (faults?: Faults) => auditNetwork(recording(faults), { fromHeight: 10, toHeight: 12, budget: 2 });
const violatedLaws = (r: AuditReport) => [...new Set(r.violations.map((v) => v.law))].sort();

function assertAudited(r: AuditReport) {
  const unaudited = r.verdicts.filter((v) => v.status === 'not audited' || v.notes.length);
  assert.deepEqual(unaudited.map((v) => `${v.law.id}: ${v.notes.join('; ')}`), [], 'every law ran on the recording');
}

test('a clean recording yields no violation, every law audited at heights 10 and 12', async () => {
  const r = await audit();
  assertAudited(r);
  assert.deepEqual(r.heights, [10, 12]);
  assert.deepEqual(r.violations, []);
  assert.ok(r.verdicts.every((v) => v.status === 'pass'));
});

test('a supply off by 1 upokt breaks supply.conservation only, with the numbers', async () => {
  const r = await audit({ state: (s) => { for (const st of Object.values(s)) st.supplyExtra = 1n; } });
  assertAudited(r);
  assert.deepEqual(violatedLaws(r), ['supply.conservation']);
  assert.deepEqual(r.violations.map((v) => v.height), [10, 12]);
  assert.match(r.violations[1].detail, /supply total 71108000001 upokt ≠ Σ 7 account balances 71108000000 upokt \(difference 1 upokt\)/);
});

test('a page missing its last item breaks views.pagination only', async () => {
  const r = await audit({ page: (route, page, items) => (route === '/v1/query/accounts' && page === 1 ? items.slice(0, -1) : items) });
  assertAudited(r);
  assert.deepEqual(violatedLaws(r), ['views.pagination']);
  assert.match(r.violations[0].detail, new RegExp(`^accounts \\(per_page 2, [78] items\\): missing from the pages: ${B}$`));
});

test('a duplicate across pages breaks views.pagination only', async () => {
  const r = await audit({ page: (route, page, items, all) => (route === '/v1/query/nodes' && page === 2 ? [all[0]] : items) });
  assertAudited(r);
  assert.deepEqual(violatedLaws(r), ['views.pagination']);
  assert.ok(r.violations.some((v) => v.detail.includes(`duplicate: ${N1} on page 1 and again on page 2`)));
});

test('a tx missing from its signer\'s history breaks txs.indexed only', async () => {
  const r = await audit({ accountTxs: (_a, _h, txs, received) => (received ? txs : []) });
  assertAudited(r);
  assert.deepEqual(violatedLaws(r), ['txs.indexed']);
  assert.equal(r.violations.length, 1);
  assert.equal(r.violations[0].height, 11);
  assert.match(r.violations[0].detail, new RegExp(`tx ${TX} \\(send, height 11\\) is not in /v1/query/accounttxs of its signer ${A}`));
});

test('a node with a different app hash breaks consensus.hashes only', async () => {
  const r = await audit({ block: (n, h, b) => (n === 2 && h === 12 ? { ...b, block: { header: { ...b.block.header, app_hash: 'DEADBEEF' } } } : b) });
  assertAudited(r);
  assert.deepEqual(violatedLaws(r), ['consensus.hashes']);
  assert.deepEqual(r.violations.map((v) => [v.height, v.detail]), [[12, `app hash: node1 ${'a912'.padEnd(64, '0')}, node3 deadbeef`]]);
});

test('a jailed session member breaks sessions.dispatch only', async () => {
  const r = await audit({ state: (s) => { for (const h of [11, 12]) s[h].nodes[1] = node(N2, true); } });
  assertAudited(r);
  assert.deepEqual(violatedLaws(r), ['sessions.dispatch']);
  assert.ok(r.violations.every((v) => v.detail.endsWith(`member ${N2} is jailed at block 12`)));
  assert.equal(r.violations.length, 3, 'one per node that dispatched it');
});

test('supply.delta: a supply that grows with no proof is named with both totals', async () => {
  const r = await audit({ state: (s) => { for (const h of [11, 12]) s[h].supplyExtra = 5n; } });
  const delta = r.violations.filter((v) => v.law === 'supply.delta');
  assert.equal(delta.length, 1);
  assert.match(delta[0].detail, /supply changed with no proof to mint and no burn to explain it: total 71108000000 upokt at 10 → 71108000005 upokt at 11 \(Δ 5 upokt\)/);
  assert.equal(delta[0].height, 11, 'the interval is narrowed to the block that changed it');
});

test('claims.lifecycle: a claim gone before expiry with no proof, and one held past expiry', async () => {
  const r = await audit({ state: (s) => { for (const h of [11, 12]) s[h].claims = [{ ...claim(), header: { ...claim().header, session_height: 1 }, expiration_height: 12 }]; } });
  assert.deepEqual(violatedLaws(r).filter((l) => l.startsWith('claims')), ['claims.lifecycle']);
  const details = r.violations.filter((v) => v.law === 'claims.lifecycle').map((v) => v.detail);
  assert.equal(details.length, 2);
  assert.ok(details.some((d) => d.includes('still held at height 12, expiration height 12')));
  assert.ok(details.some((d) => d.includes('gone at 12 with no proof tx')));
});

test('txs.indexed: a signer history that also lists txs of other heights (RC-0.12.0 ignores the height filter) is no violation', async () => {
  const r = await audit({ accountTxs: (_a, _h, txs) => [...txs, { ...txs[0], hash: 'E1'.repeat(32), height: 5 }] });
  assertAudited(r);
  assert.deepEqual(r.violations, []);
});

test('fees.distribution: a DAO cut short by 1 upokt, and a proposer paid too much, are named with the split', async () => {
  const r = await audit({ state: (s) => {
    const dao = s[12].accounts.find((a) => a.address === MODULE_ACCOUNTS.dao);
    dao.coins[0].amount = (BigInt(dao.coins[0].amount) - 1n).toString();
    const n1 = s[12].accounts.find((a) => a.address === N1);
    n1.coins[0].amount = (BigInt(n1.coins[0].amount) + 1n).toString();
  } });
  assertAudited(r);
  assert.deepEqual(violatedLaws(r), ['fees.distribution']);
  assert.deepEqual(r.violations.map((v) => v.detail), [
    'DAO 1000000000 upokt at 11 → 1000009089 upokt, expected 1000009090 upokt: fees collected 10000 upokt × 10/(10+1) = 9090 upokt, DAO transfers and burns 0 upokt',
    `proposer of block 11 (${N1}) paid to ${N1}: 1000000 upokt → 1000911 upokt (Δ 911 upokt), expected its cut 910 upokt of 10000 upokt fees`,
  ]);
});

test('fees.distribution: fees left in the collector after the split are a violation', async () => {
  const r = await audit({ state: (s) => {
    s[12].accounts.push({ ...account(FEES, 10_000n), name: 'fee_collector', permissions: [] });
    s[12].supplyExtra = -10_000n;
    const a = s[12].accounts.find((x) => x.address === A);
    a.coins[0].amount = (BigInt(a.coins[0].amount) - 10_000n).toString();
  } });
  const fees = r.violations.filter((v) => v.law === 'fees.distribution');
  assert.equal(fees.length, 1);
  assert.match(fees[0].detail, /^fee collector holds 10000 upokt after block 12, its 0 tx\(s\) paid 0 upokt/);
});

test('txs.indexed: a send missing from its recipient\'s received history, and a block whose header counts more txs than blocktxs lists', async () => {
  const r = await audit({
    accountTxs: (_a, _h, txs, received) => (received ? [] : txs),
    block: (_n, h, b) => (h === 12 ? { ...b, block: { header: { ...b.block.header, num_txs: '1' } } } : b),
  });
  assertAudited(r);
  assert.deepEqual(violatedLaws(r), ['txs.indexed']);
  assert.deepEqual(r.violations.map((v) => v.detail).sort(), [
    "block 12's header counts 1 tx(s), /v1/query/blocktxs lists 0",
    `tx ${TX} (send, height 11) is not in /v1/query/accounttxs received=true of its recipient ${B}`,
  ]);
});

test('stake.settlement: an app that finished unstaking whose stake did not reach its address', async () => {
  const r = await audit({ state: (s) => {
    s[1].apps = [{ ...app(), status: 1, unstaking_time: '2026-11-30T23:00:05Z' }];
    // Gone at 11 and 12; its 10000000000 upokt left the pool but only 9999999999 reached it (1 upokt burned).
    for (const h of [11, 12]) {
      s[h].apps = [];
      s[h].accounts.find((a) => a.address === MODULE_ACCOUNTS.appStakedPool).coins = [];
      s[h].accounts.push(account(APP, 9_999_999_999n));
    }
  } });
  const settlement = r.violations.filter((v) => v.law === 'stake.settlement');
  assert.deepEqual(settlement.map((v) => v.detail), [`app ${APP} (10000000000 upokt) unstaked between 10 and 11; ${APP} was due 10000000000 upokt and gained 9999999999 upokt`]);
});

test('params.valid: a session node count outside 1–25 is named with its range', async () => {
  const r = await auditNetwork(recordingWith({ 'pocketcore/SessionNodeCount': '30' }), { fromHeight: 10, toHeight: 12, budget: 2, laws: ['params.valid'] });
  assert.deepEqual(r.violations.map((v) => v.detail), [
    'pocketcore/SessionNodeCount = 30, outside its valid range (in [1, 25])',
    'pocketcore/SessionNodeCount = 30, outside its valid range (in [1, 25])',
  ]);
});
