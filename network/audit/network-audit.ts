/**
 * The auditor over a started network: the nodes that answer, from a height (default: after the
 * codec upgrade) to the last height every one of them has committed state for.
 */
import type { StartedPocketNetwork } from '../started-network';
import { auditNetwork, type AuditReport } from './auditor';
import { liveSource } from './source';

/** Interval laws read every block between two audited heights; more heights keep each gap below this. */
const MAX_GAP = 150;

export type NetworkAuditResult = { report: AuditReport; toHeight: number } | { skipped: string };

export async function auditStartedNetwork(
  network: StartedPocketNetwork,
  opts: { fromHeight?: number; maxItems?: number } = {},
): Promise<NetworkAuditResult> {
  const heights = await network.heights();
  const answering = network.nodes.filter((_, i) => heights[i] !== undefined);
  if (!answering.length) return { skipped: 'no node answers' };
  // A node's reported height can run a block ahead of the state it answers from.
  const to = Math.min(...heights.filter((h): h is number => h !== undefined)) - 1;
  const from = opts.fromHeight ?? Math.max(1, network.protocolUpgradeHeight + 1);
  if (to <= from) return { skipped: `no new block to audit (from ${from}, last committed ${to})` };
  const report = await auditNetwork(liveSource(answering.map((n) => n.rpcUrl)), {
    fromHeight: from,
    toHeight: to,
    budget: Math.max(2, Math.ceil((to - from) / MAX_GAP) + 1),
    options: opts.maxItems ? { maxItems: opts.maxItems } : {},
  });
  return { report, toHeight: to };
}
