/** Agreement between nodes: block and app hashes, every param. */
import { readAllParams, readBlock, readParam } from './chain';
import { sampleItems, type AuditContext, type Violation } from './types';

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

/**
 * Every node's allparams is the same map of key → value (allparams' order is not deterministic,
 * a tracked defect, so it is compared as a map), and a rotating sample of keys answers the same
 * through the single-key route on every node.
 */
export async function checkParams(ctx: AuditContext, height: number): Promise<Violation[]> {
  const nodes = [...Array(ctx.chain.nodeCount).keys()];
  const maps = await Promise.all(nodes.map((n) => readAllParams(ctx.chain, n, height)));
  const out: Violation[] = [];
  const v = (detail: string) => out.push({ law: 'params.agree', height, detail });
  const keys = [...maps[0].keys()];
  for (const n of nodes.slice(1)) {
    const missing = keys.filter((k) => !maps[n].has(k));
    const extra = [...maps[n].keys()].filter((k) => !maps[0].has(k));
    if (missing.length || extra.length) v(`${ctx.chain.label(n)} lacks [${missing.join(', ')}] and has more [${extra.join(', ')}] than ${ctx.chain.label(0)}`);
    for (const k of keys) if (maps[n].has(k) && maps[n].get(k) !== maps[0].get(k)) v(`${k}: ${ctx.chain.label(0)} ${maps[0].get(k)}, ${ctx.chain.label(n)} ${maps[n].get(k)}`);
  }
  for (const key of sampleItems(keys, ctx.options.maxItems, height)) {
    const values = await Promise.all(nodes.map((n) => readParam(ctx.chain, n, height, key)));
    for (const n of nodes.slice(1)) {
      if (values[n] !== values[0]) v(`/v1/query/param ${key}: ${ctx.chain.label(0)} ${values[0]}, ${ctx.chain.label(n)} ${values[n]}`);
    }
  }
  return out;
}
