/**
 * auditNetwork: checks every law of laws.ts over a range of heights, from RPC answers alone.
 * Heights are sampled within a budget (always the last one); interval laws compare consecutive
 * sampled heights and read every block in between.
 */
import { LAWS } from './laws';
import { CachedSource, liveSource, RpcRefusal, type RpcSource } from './source';
import { makeContext, NotAuditable, type AuditOptions, type Law, type Violation } from './types';

export interface AuditRequest {
  /** First height (default: after the codec upgrade, at most 200 blocks before toHeight). */
  fromHeight?: number;
  /** Last height (default: the lowest height every node has committed). */
  toHeight?: number;
  /** Most heights audited (default 6); the last is always one of them. */
  budget?: number;
  /** Only these law ids (default: every law). */
  laws?: string[];
  options?: Partial<AuditOptions>;
}

export type LawStatus = 'pass' | 'fail' | 'not audited';

export interface LawVerdict {
  law: Law;
  status: LawStatus;
  /** Heights it was checked at. */
  heights: number[];
  violations: Violation[];
  /** Why a check could not run (a refused route, an interval over the limit). */
  notes: string[];
}

export interface AuditReport {
  fromHeight: number;
  toHeight: number;
  heights: number[];
  verdicts: LawVerdict[];
  violations: Violation[];
  /** RPC calls made (after memoization). */
  calls: number;
}

export const DEFAULT_OPTIONS: AuditOptions = { maxIntervalBlocks: 200, maxTxs: 200, maxItems: Number.POSITIVE_INFINITY };

/** `budget` heights spread evenly over [from, to], ascending, always including `to`. */
export function sampleHeights(from: number, to: number, budget: number): number[] {
  if (to < from) throw new Error(`empty range: from ${from} > to ${to}`);
  const n = Math.max(1, Math.min(Math.floor(budget), to - from + 1));
  if (n === 1) return [to];
  const step = (to - from) / (n - 1);
  return [...new Set([...Array(n).keys()].map((i) => (i === n - 1 ? to : Math.round(from + i * step))))];
}

async function defaultRange(chain: CachedSource, req: AuditRequest): Promise<{ from: number; to: number }> {
  let to = req.toHeight;
  if (to === undefined) {
    const heights = await Promise.all([...Array(chain.nodeCount).keys()].map(async (n) => Number((await chain.source.call(n, '/v1/query/height', {})).data?.height)));
    to = Math.min(...heights);
    if (!Number.isFinite(to) || to < 1) throw new Error(`no committed height on every node (heights: ${heights.join(', ')})`);
  }
  let from = req.fromHeight;
  if (from === undefined) {
    // State before the codec upgrade is amino-encoded: read with today's codec it is not the chain's state.
    const upgrade = await chain.raw(0, '/v1/query/upgrade', { height: to });
    const codecHeight = Number(upgrade.data?.Height ?? upgrade.data?.height ?? 0) || 0;
    from = Math.min(to, Math.max(1, codecHeight + 1, to - 200));
  }
  return { from, to };
}

async function runLaw(law: Law, ctx: ReturnType<typeof makeContext>): Promise<LawVerdict> {
  const verdict: LawVerdict = { law, status: 'pass', heights: [], violations: [], notes: [] };
  const hs = ctx.heights;
  const at: Array<[number, number | undefined]> =
    law.scope === 'last' ? [[hs[hs.length - 1], undefined]] : hs.map((h, i) => [h, law.scope === 'interval' ? hs[i - 1] : undefined]);
  for (const [h, prev] of at) {
    try {
      verdict.violations.push(...(await law.check(ctx, h, prev)));
      verdict.heights.push(h);
    } catch (err) {
      if (err instanceof NotAuditable || err instanceof RpcRefusal) verdict.notes.push(`height ${h}: ${err.message}`);
      else verdict.notes.push(`height ${h}: check failed: ${(err as Error).stack ?? String(err)}`);
    }
  }
  verdict.status = verdict.violations.length ? 'fail' : verdict.heights.length ? 'pass' : 'not audited';
  return verdict;
}

/** Audits `source` (recorded answers or live nodes) over the requested heights. */
export async function auditNetwork(source: RpcSource, req: AuditRequest = {}): Promise<AuditReport> {
  const chain = new CachedSource(source);
  const { from, to } = await defaultRange(chain, req);
  const heights = sampleHeights(from, to, req.budget ?? 6);
  const ctx = makeContext(chain, from, heights, { ...DEFAULT_OPTIONS, ...req.options });
  const laws = req.laws ? LAWS.filter((l) => req.laws!.includes(l.id)) : LAWS;
  const unknown = (req.laws ?? []).filter((id) => !LAWS.some((l) => l.id === id));
  if (unknown.length) throw new Error(`unknown law(s): ${unknown.join(', ')} (known: ${LAWS.map((l) => l.id).join(', ')})`);
  const verdicts: LawVerdict[] = [];
  for (const law of laws) verdicts.push(await runLaw(law, ctx)); // one law at a time: gentle on a busy host
  return { fromHeight: from, toHeight: to, heights, verdicts, violations: verdicts.flatMap((v) => v.violations), calls: chain.calls };
}

/** The live auditor: nodes' RPC URLs (e.g. from `network:up --json`). */
export const auditLiveNetwork = (rpcUrls: string[], req: AuditRequest = {}) => auditNetwork(liveSource(rpcUrls), req);
