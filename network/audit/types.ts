/** The auditor's vocabulary: laws, their scope, violations and per-law verdicts. */
import { readBlockTxs, type TxResult } from './chain';
import type { CachedSource } from './source';

export interface Violation {
  law: string;
  height: number;
  /** The numbers: what was expected, what was observed, on which node. */
  detail: string;
}

/**
 * When a law is checked: at every audited height, between consecutive audited heights (the
 * previous one is given), or once at the last audited height (costly or live-only reads).
 */
export type LawScope = 'height' | 'interval' | 'last';

export interface AuditOptions {
  /** Most blocks whose txs are read between two audited heights (interval laws). */
  maxIntervalBlocks: number;
  /** Most txs whose indexing is checked (tx law), over the whole audit. */
  maxTxs: number;
  /**
   * Most items per list (nodes, apps, accounts, param keys) checked one by one at a height; the
   * pick rotates with the height, so audits after successive tests cover different items.
   */
  maxItems: number;
}

export interface AuditContext {
  chain: CachedSource;
  /** The lowest height whose state may be read (heights below may be amino-encoded). */
  fromHeight: number;
  /** Every audited height, ascending. */
  heights: number[];
  options: AuditOptions;
  /** Txs of every block in (from, to], read from node 0. */
  txsBetween(from: number, to: number): Promise<TxResult[]>;
  /** Shared budget of tx checks left (decremented by the tx law). */
  txBudget: { left: number };
}

export interface Law {
  id: string;
  /** The law, one line. */
  statement: string;
  /** Where pocket-core makes it true: path inside the module, and function. */
  source: string;
  scope: LawScope;
  /** What this check cannot see from RPC alone. */
  limits?: string;
  check(ctx: AuditContext, height: number, previous?: number): Promise<Violation[]>;
}

/** A law that cannot be checked over this range (too many blocks, a route refused): not a violation. */
export class NotAuditable extends Error {}

export function makeContext(chain: CachedSource, fromHeight: number, heights: number[], options: AuditOptions): AuditContext {
  return {
    chain,
    fromHeight,
    heights,
    options,
    txBudget: { left: options.maxTxs },
    async txsBetween(from, to) {
      if (to - from > options.maxIntervalBlocks) {
        throw new NotAuditable(`${to - from} blocks between heights ${from} and ${to} exceed maxIntervalBlocks ${options.maxIntervalBlocks}`);
      }
      const txs: TxResult[] = [];
      for (let h = from + 1; h <= to; h++) txs.push(...(await readBlockTxs(chain, 0, h)));
      return txs;
    },
  };
}

/** `value` formatted for details: bigint with its unit. */
export const upokt = (v: bigint): string => `${v} upokt`;

/**
 * At most `max` of `items`, a window that rotates with `height` (so successive audits see
 * different items), plus every item `pinned` says must be checked (e.g. touched by recent txs).
 */
export function sampleItems<T>(items: readonly T[], max: number, height: number, pinned: (t: T) => boolean = () => false): T[] {
  if (items.length <= max) return [...items];
  const start = (height * 7) % items.length;
  const window = new Set([...Array(Math.max(0, max)).keys()].map((i) => items[(start + i) % items.length]));
  return items.filter((t) => window.has(t) || pinned(t));
}
