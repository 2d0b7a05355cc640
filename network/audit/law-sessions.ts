/** Sessions as dispatch answers them, checked against the nodes' state. */
import { lower, readApps, readNodes, readParam, type StakedActor } from './chain';
import type { AuditContext, Violation } from './types';

interface Dispatched {
  node: number;
  blockHeight: number;
  sessionHeight: number;
  key: string;
  members: string[];
}

/** The latest session start at `h` (x/pocketcore/keeper/session.go GetLatestSessionBlockHeight). */
export function latestSessionHeight(h: number, blocksPerSession: number): number {
  return h % blocksPerSession === 0 ? h - blocksPerSession + 1 : Math.floor(h / blocksPerSession) * blocksPerSession + 1;
}

async function dispatch(ctx: AuditContext, node: number, appPubKey: string, chain: string): Promise<Dispatched | undefined> {
  const res = await ctx.chain.raw(node, '/v1/client/dispatch', { app_public_key: appPubKey, chain, session_height: 0 });
  if (res.status !== 200) return undefined; // insufficient nodes, unknown chain: the session suite's business
  const s = res.data?.session ?? {};
  return {
    node,
    blockHeight: Number(res.data?.block_height),
    sessionHeight: Number(s.header?.session_height),
    key: String(s.key ?? ''),
    members: (s.nodes ?? []).map((n: any) => lower(n.address)),
  };
}

async function memberProblems(ctx: AuditContext, d: Dispatched, chain: string): Promise<string[]> {
  const out: string[] = [];
  const bps = Number(await readParam(ctx.chain, d.node, d.blockHeight, 'pos/BlocksPerSession'));
  const count = Number(await readParam(ctx.chain, d.node, d.sessionHeight, 'pocketcore/SessionNodeCount'));
  const expected = latestSessionHeight(d.blockHeight, bps);
  if (d.sessionHeight !== expected) out.push(`session height ${d.sessionHeight} at block ${d.blockHeight} is off the grid of ${bps}-block sessions (expected ${expected})`);
  if (d.members.length !== count || new Set(d.members).size !== d.members.length) out.push(`${d.members.length} member(s) (${new Set(d.members).size} distinct), session_node_count is ${count}`);
  // Staked servicers of the chain at the session's start, not jailed and still serving it now (x/pocketcore/types/session.go NewSessionNodes).
  const atStart = new Map((await readNodes(ctx.chain, d.node, d.sessionHeight)).map((n) => [n.address, n]));
  const now = new Map((await readNodes(ctx.chain, d.node, d.blockHeight)).map((n) => [n.address, n]));
  for (const m of d.members) {
    const s: StakedActor | undefined = atStart.get(m);
    const n: StakedActor | undefined = now.get(m);
    if (!s || s.status !== 2 || !s.chains.includes(chain)) out.push(`member ${m} was not a staked servicer of ${chain} at session height ${d.sessionHeight} (${s ? `status ${s.status}, chains ${s.chains.join(',')}` : 'absent'})`);
    if (!n || n.jailed || !n.chains.includes(chain)) out.push(`member ${m} is ${n ? (n.jailed ? 'jailed' : `not serving ${chain}`) : 'absent'} at block ${d.blockHeight}`);
  }
  return out;
}

/** Every node dispatches the same session for each staked app and chain; members obey the selection rules. */
export async function checkSessions(ctx: AuditContext, height: number): Promise<Violation[]> {
  const apps = (await readApps(ctx.chain, 0, height)).filter((a) => a.status === 2 && !a.jailed);
  const out: Violation[] = [];
  for (const app of apps) {
    const pubKey = String(app.raw.public_key ?? '');
    for (const chain of app.chains) {
      const answers = (await Promise.all([...Array(ctx.chain.nodeCount).keys()].map((n) => dispatch(ctx, n, pubKey, chain)))).filter((d): d is Dispatched => !!d);
      const v = (d: Dispatched, detail: string) => out.push({ law: 'sessions.dispatch', height: d.sessionHeight, detail: `app ${app.address} chain ${chain} via ${ctx.chain.label(d.node)}: ${detail}` });
      for (const d of answers) {
        const same = answers.find((o) => o.sessionHeight === d.sessionHeight);
        if (same && same !== d && (same.key !== d.key || same.members.join() !== d.members.join())) {
          v(d, `members [${d.members.join(', ')}] key ${d.key}, but ${ctx.chain.label(same.node)} answers [${same.members.join(', ')}] key ${same.key} for the same session`);
        }
        for (const p of await memberProblems(ctx, d, chain)) v(d, p);
      }
    }
  }
  return out;
}
