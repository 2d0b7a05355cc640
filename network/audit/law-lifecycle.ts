/** Lifecycles seen between audited heights: claims, stake status. */
import { big, lower, readApps, readBlock, readClaims, readNodes, type Claim, type StakedActor } from './chain';
import { upokt } from './types';
import type { AuditContext, Violation } from './types';

const claimId = (c: Claim) => `${c.from}/${c.chain}/${c.sessionHeight}/${c.appPubKey.slice(0, 16)}`;

/**
 * A claim lives until proven or expired: none is held at or past its expiration height
 * (x/pocketcore/module.go BeginBlock → keeper/claim.go DeleteExpiredClaims), and one that vanished
 * before expiring was proven (a successful proof tx by its servicer in between; keeper/proof.go).
 */
export async function checkClaims(ctx: AuditContext, height: number, previous?: number): Promise<Violation[]> {
  const now = await readClaims(ctx.chain, 0, height);
  const out: Violation[] = now
    .filter((c) => c.expirationHeight <= height)
    .map((c) => ({ law: 'claims.lifecycle', height, detail: `claim ${claimId(c)} still held at height ${height}, expiration height ${c.expirationHeight}` }));
  if (previous === undefined) return out;
  const held = new Set(now.map(claimId));
  const gone = (await readClaims(ctx.chain, 0, previous)).filter((c) => !held.has(claimId(c)) && c.expirationHeight > height);
  if (!gone.length) return out;
  const provers = new Set((await ctx.txsBetween(previous, height)).filter((t) => t.code === 0 && t.messageType === 'proof').map((t) => t.signer));
  for (const c of gone) {
    if (!provers.has(c.from)) out.push({ law: 'claims.lifecycle', height, detail: `claim ${claimId(c)} (${c.totalProofs} relays, expires ${c.expirationHeight}) held at ${previous}, gone at ${height} with no proof tx by ${c.from} in between` });
  }
  return out;
}

const ZERO_TIME = /^0001-01-01/;

function transitions(kind: string, before: StakedActor[], after: StakedActor[], blockTime: number, height: number, previous: number): Violation[] {
  const out: Violation[] = [];
  const v = (a: StakedActor, detail: string) => out.push({ law: 'stake.lifecycle', height, detail: `${kind} ${a.address}: ${detail}` });
  const later = new Map(after.map((a) => [a.address, a]));
  for (const a of after) if (a.status === 1 && (!a.unstakingTime || ZERO_TIME.test(a.unstakingTime))) v(a, `unstaking with no unstaking completion time (${a.unstakingTime || 'none'})`);
  for (const a of before) {
    if (a.status !== 1) continue;
    const b = later.get(a.address);
    const done = Date.parse(a.unstakingTime);
    const early = Number.isFinite(done) && blockTime < done;
    // Staked → unstaking → unstaked: an unstaking actor leaves (or restakes) only once its time is up, or by force when jailed.
    if (b?.status === 2 && early) v(a, `unstaking at ${previous} (until ${a.unstakingTime}) but staked again at ${height} (block time ${new Date(blockTime).toISOString()})`);
    if ((!b || b.status === 0) && early && !a.jailed) v(a, `unstaking at ${previous} (until ${a.unstakingTime}) but unstaked at ${height} (block time ${new Date(blockTime).toISOString()}) without being jailed`);
  }
  return out;
}

/** Stake status moves only staked → unstaking → unstaked (x/nodes/keeper/valStateChanges.go, x/apps/keeper/appStateChanges.go). */
export async function checkStakeStatus(ctx: AuditContext, height: number, previous?: number): Promise<Violation[]> {
  const [nodes, apps, block] = await Promise.all([readNodes(ctx.chain, 0, height), readApps(ctx.chain, 0, height), readBlock(ctx.chain, 0, height)]);
  const time = Date.parse(block.time);
  const prevNodes = previous === undefined ? [] : await readNodes(ctx.chain, 0, previous);
  const prevApps = previous === undefined ? [] : await readApps(ctx.chain, 0, previous);
  return [...transitions('node', prevNodes, nodes, time, height, previous ?? height), ...transitions('app', prevApps, apps, time, height, previous ?? height)];
}

/** Stakes owed between two heights and not received: one line per recipient short of them. */
async function unpaidStakes(ctx: AuditContext, previous: number, height: number): Promise<string[]> {
  const [n1, n2, a1, a2] = await Promise.all([readNodes(ctx.chain, 0, previous), readNodes(ctx.chain, 0, height), readApps(ctx.chain, 0, previous), readApps(ctx.chain, 0, height)]);
  const settled = (before: StakedActor[], after: StakedActor[]) => {
    const later = new Map(after.map((a) => [a.address, a]));
    return before.filter((a) => a.status === 1 && !a.jailed && (!later.has(a.address) || later.get(a.address)!.status === 0));
  };
  const due = new Map<string, { amount: bigint; who: string[] }>();
  const owe = (recipient: string, a: StakedActor, kind: string) => {
    const d = due.get(recipient) ?? { amount: 0n, who: [] };
    d.amount += a.tokens;
    d.who.push(`${kind} ${a.address} (${upokt(a.tokens)})`);
    due.set(recipient, d);
  };
  for (const n of settled(n1, n2)) owe(lower(n.raw.output_address) || n.address, n, 'node');
  for (const a of settled(a1, a2)) owe(a.address, a, 'app');
  if (!due.size) return [];
  const spenders = new Set((await ctx.txsBetween(previous, height)).map((t) => t.signer));
  const out: string[] = [];
  for (const [recipient, d] of due) {
    if (spenders.has(recipient)) continue;
    const [was, is] = await Promise.all([
      ctx.chain.query(0, '/v1/query/balance', { address: recipient, height: previous }),
      ctx.chain.query(0, '/v1/query/balance', { address: recipient, height }),
    ]);
    const gained = big(is?.balance ?? 0) - big(was?.balance ?? 0);
    if (gained < d.amount) out.push(`${d.who.join(', ')} unstaked between ${previous} and ${height}; ${recipient} was due ${upokt(d.amount)} and gained ${upokt(gained)}`);
  }
  return out;
}

/**
 * An unjailed actor unstaking at `previous` and gone (or unstaked) at `height` was paid its stake:
 * its recipient's balance grew by at least the stakes due to it, unless it spent in between. An
 * interval that falls short is checked block by block (a slash between the two heights lowers
 * what is due), and only a block whose own settlement falls short is a violation.
 */
export async function checkSettlement(ctx: AuditContext, height: number, previous?: number): Promise<Violation[]> {
  if (previous === undefined || !(await unpaidStakes(ctx, previous, height)).length) return [];
  const out: Violation[] = [];
  for (let b = previous + 1; b <= height; b++) {
    for (const detail of await unpaidStakes(ctx, b - 1, b)) out.push({ law: 'stake.settlement', height: b, detail });
  }
  return out;
}
