/** Agreement between nodes: block and app hashes, every param. */
import { readBlock, readParam, readParamKeys } from './chain';
import type { AuditContext, Violation } from './types';

/** Every node has the same block hash and app hash at the height. */
export async function checkBlocks(ctx: AuditContext, height: number): Promise<Violation[]> {
  const nodes = [...Array(ctx.chain.nodeCount).keys()];
  const blocks = await Promise.all(nodes.map((n) => readBlock(ctx.chain, n, height)));
  const out: Violation[] = [];
  for (const n of nodes.slice(1)) {
    for (const field of ['hash', 'appHash'] as const) {
      if (blocks[n][field] !== blocks[0][field]) {
        out.push({ law: 'consensus.hashes', height, detail: `${field === 'hash' ? 'block hash' : 'app hash'}: ${ctx.chain.label(0)} ${blocks[0][field] || '(none)'}, ${ctx.chain.label(n)} ${blocks[n][field] || '(none)'}` });
      }
    }
  }
  return out;
}

/** Every param key answers the same value on every node (one key at a time: allparams' order is not deterministic). */
export async function checkParams(ctx: AuditContext, height: number): Promise<Violation[]> {
  const nodes = [...Array(ctx.chain.nodeCount).keys()];
  const keySets = await Promise.all(nodes.map((n) => readParamKeys(ctx.chain, n, height)));
  const out: Violation[] = [];
  for (const n of nodes.slice(1)) {
    const missing = keySets[0].filter((k) => !keySets[n].includes(k));
    const extra = keySets[n].filter((k) => !keySets[0].includes(k));
    if (missing.length || extra.length) out.push({ law: 'params.agree', height, detail: `${ctx.chain.label(n)} lacks [${missing.join(', ')}] and has more [${extra.join(', ')}] than ${ctx.chain.label(0)}` });
  }
  for (const key of keySets[0]) {
    const values = await Promise.all(nodes.map((n) => readParam(ctx.chain, n, height, key)));
    for (const n of nodes.slice(1)) {
      if (values[n] !== values[0]) out.push({ law: 'params.agree', height, detail: `${key}: ${ctx.chain.label(0)} ${values[0]}, ${ctx.chain.label(n)} ${values[n]}` });
    }
  }
  return out;
}
