/** Token laws: conservation, pools, the supply route's own arithmetic, and supply changes explained by blocks. */
import { MODULE_ACCOUNTS, big, readAccounts, readApps, readNodes, readSupply, type StakedActor } from './chain';
import { upokt, type AuditContext, type Violation } from './types';

const sum = (xs: bigint[]) => xs.reduce((a, b) => a + b, 0n);

/** supply.total = Σ upokt of every account, module accounts (staked pools, DAO, fee collector) included. */
export async function checkConservation(ctx: AuditContext, height: number): Promise<Violation[]> {
  const supply = await readSupply(ctx.chain, 0, height);
  const accounts = await readAccounts(ctx.chain, 0, height);
  const held = sum(accounts.map((a) => a.upokt));
  if (held === supply.total) return [];
  return [{
    law: 'supply.conservation',
    height,
    detail: `supply total ${upokt(supply.total)} ≠ Σ ${accounts.length} account balances ${upokt(held)} (difference ${upokt(supply.total - held)})`,
  }];
}

/** Staked pools hold exactly what the actors say they stake, and the supply route names those pools. */
export async function checkPools(ctx: AuditContext, height: number): Promise<Violation[]> {
  const [supply, accounts, nodes, apps] = await Promise.all([
    readSupply(ctx.chain, 0, height),
    readAccounts(ctx.chain, 0, height),
    readNodes(ctx.chain, 0, height),
    readApps(ctx.chain, 0, height),
  ]);
  const balanceOf = (addr: string) => accounts.find((a) => a.address === addr)?.upokt ?? 0n;
  const out: Violation[] = [];
  const expect = (what: string, a: [string, bigint], b: [string, bigint]) => {
    if (a[1] !== b[1]) out.push({ law: 'supply.pools', height, detail: `${what}: ${a[0]} ${upokt(a[1])} ≠ ${b[0]} ${upokt(b[1])} (difference ${upokt(a[1] - b[1])})` });
  };
  const nodeTokens = sum(nodes.map((n) => n.tokens));
  const appTokens = sum(apps.map((a) => a.tokens));
  expect('node stake', ['supply node_staked', supply.nodeStaked], [`Σ tokens of ${nodes.length} nodes`, nodeTokens]);
  expect('node stake', ['supply node_staked', supply.nodeStaked], ['staked_tokens_pool balance', balanceOf(MODULE_ACCOUNTS.nodeStakedPool)]);
  expect('app stake', ['supply app_staked', supply.appStaked], [`Σ staked_tokens of ${apps.length} apps`, appTokens]);
  expect('app stake', ['supply app_staked', supply.appStaked], ['application_staked_tokens_pool balance', balanceOf(MODULE_ACCOUNTS.appStakedPool)]);
  expect('DAO', ['supply dao', supply.dao], ['dao module account balance', balanceOf(MODULE_ACCOUNTS.dao)]);
  return out;
}

/** The supply route's own sums: total_staked = node + app + dao, total_unstaked = total − total_staked, nothing negative. */
export async function checkArithmetic(ctx: AuditContext, height: number): Promise<Violation[]> {
  const s = await readSupply(ctx.chain, 0, height);
  const out: Violation[] = [];
  const staked = s.nodeStaked + s.appStaked + s.dao;
  if (s.totalStaked !== staked) out.push({ law: 'supply.arithmetic', height, detail: `total_staked ${upokt(s.totalStaked)} ≠ node_staked + app_staked + dao = ${upokt(staked)}` });
  if (s.totalUnstaked !== s.total - s.totalStaked) out.push({ law: 'supply.arithmetic', height, detail: `total_unstaked ${upokt(s.totalUnstaked)} ≠ total − total_staked = ${upokt(s.total - s.totalStaked)}` });
  const negative = Object.entries(s).filter(([k, v]) => k !== 'dao' && v < 0n);
  for (const [k, v] of negative) out.push({ law: 'supply.arithmetic', height, detail: `${k} is negative: ${upokt(v)}` });
  return out;
}

/** The DAO's balance is never negative (x/gov/keeper/dao.go DAOBurn/DAOTransfer refuse more than it holds). */
export async function checkDaoNonNegative(ctx: AuditContext, height: number): Promise<Violation[]> {
  const s = await readSupply(ctx.chain, 0, height);
  return s.dao < 0n ? [{ law: 'dao.non-negative', height, detail: `dao balance ${upokt(s.dao)} < 0` }] : [];
}

/** A DAO burn's amount: MsgDAOTransfer with action dao_burn (x/gov/types/msg.go, dao.go DAOBurnString). */
function daoBurnAmount(msg: any): bigint {
  const v = msg?.value ?? msg;
  return v?.action === 'dao_burn' ? big(v.amount) : 0n;
}

const staked = (xs: StakedActor[]) => new Map(xs.map((x) => [x.address, x]));

/**
 * Why the supply change from `previous` to `height` is unexplained, or undefined when it is
 * explained: Δtotal with the DAO burns of the blocks in between added back must be 0 without
 * proofs and without any burn that needs no tx (slash, force-unstake of a jailed or under-minimum
 * actor); ≥ 0 when only proofs mint; ≤ 0 when only such burns happen.
 */
async function unexplainedDelta(ctx: AuditContext, previous: number, height: number): Promise<string | undefined> {
  const [before, after, txs] = await Promise.all([readSupply(ctx.chain, 0, previous), readSupply(ctx.chain, 0, height), ctx.txsBetween(previous, height)]);
  const ok = txs.filter((t) => t.code === 0);
  const burns = ok.filter((t) => t.messageType === 'dao_tranfer').reduce((a, t) => a + daoBurnAmount(t.msg), 0n);
  const proofs = ok.filter((t) => t.messageType === 'proof').length;
  const [n1, n2, a1, a2] = await Promise.all([readNodes(ctx.chain, 0, previous), readNodes(ctx.chain, 0, height), readApps(ctx.chain, 0, previous), readApps(ctx.chain, 0, height)]);
  const m2 = staked(n2);
  const appsAfter = staked(a2);
  // A burn without a tx needs a jailed node (slash, force unstake) or a staked actor gone at once (force unstake).
  const silentBurn = n1.some((n) => n.jailed) || n2.some((n) => n.jailed)
    || n1.some((n) => n.status === 2 && !m2.has(n.address)) || a1.some((a) => a.status === 2 && !appsAfter.has(a.address));
  const delta = after.total - before.total;
  const net = delta + burns;
  const numbers = `total ${upokt(before.total)} at ${previous} → ${upokt(after.total)} at ${height} (Δ ${upokt(delta)}), DAO burns ${upokt(burns)}, ${proofs} proof tx(s), ${ok.length} successful tx(s) in ${height - previous} block(s)`;
  if (!proofs && !silentBurn && net !== 0n) return `supply changed with no proof to mint and no burn to explain it: ${numbers}`;
  if (!proofs && silentBurn && net > 0n) return `supply grew with no proof to mint: ${numbers}`;
  if (proofs && !silentBurn && net < 0n) return `supply shrank beyond the DAO burns with nothing to burn it: ${numbers}`;
  return undefined;
}

/**
 * Supply changes between audited heights are explained by their blocks. An interval whose
 * endpoints do not explain it (a node jailed, slashed and gone between them) is checked block by
 * block, and only a block that does not explain its own change is a violation.
 */
export async function checkSupplyDelta(ctx: AuditContext, height: number, previous?: number): Promise<Violation[]> {
  if (previous === undefined) return [];
  const why = await unexplainedDelta(ctx, previous, height);
  if (!why) return [];
  if (height - previous === 1) return [{ law: 'supply.delta', height, detail: why }];
  const out: Violation[] = [];
  for (let b = previous + 1; b <= height; b++) {
    const blockWhy = await unexplainedDelta(ctx, b - 1, b);
    if (blockWhy) out.push({ law: 'supply.delta', height: b, detail: blockWhy });
  }
  return out;
}
