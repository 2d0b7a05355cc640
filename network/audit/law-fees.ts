/**
 * Fee accounting, block by block. Fees collected in block h−1 sit in the fee collector; block h's
 * BeginBlock splits them (x/nodes/keeper/abci.go BeginBlocker → reward.go blockReward):
 * the DAO takes floor(F × dao / (dao + proposer)) and block h−1's proposer (its output address,
 * or its reward delegators) the rest (params.go splitFeesCollected). The collector then holds only
 * what block h's own txs pay, plus what proofs mint to it (reward.go RewardForRelaysPerChain).
 */
import { big, lower, moduleAddress, readApps, readBlockTxs, readNodes, readParam, readSupply, type TxResult } from './chain';
import { RpcRefusal } from './source';
import { upokt, type AuditContext, type Violation } from './types';

export const FEE_COLLECTOR = moduleAddress('fee_collector');

const sum = (xs: bigint[]) => xs.reduce((a, b) => a + b, 0n);

async function balanceAt(ctx: AuditContext, address: string, height: number): Promise<bigint> {
  const b = await ctx.chain.query(0, '/v1/query/balance', { address, height });
  return big(b?.balance ?? 0);
}

/** The upokt fee a tx declares (StdTx.fee, a coin list). */
export function feeOf(raw: any): bigint {
  const coins: Array<{ denom: string; amount: unknown }> = raw?.stdTx?.fee ?? [];
  return sum(coins.filter((c) => c.denom === 'upokt').map((c) => big(c.amount)));
}

/** What a successful MsgDAOTransfer takes out of the DAO (transfer or burn: x/gov/keeper/dao.go). */
function daoOutflow(tx: TxResult): bigint {
  if (tx.code !== 0 || tx.messageType !== 'dao_tranfer') return 0n;
  const v = tx.msg?.value ?? tx.msg;
  return big(v?.amount ?? 0);
}

/** n / d rounded half to even, as sdk.Dec's chopPrecisionAndRound does (n, d > 0). */
function divRoundHalfEven(n: bigint, d: bigint): bigint {
  const q = n / d, r = n % d;
  if (2n * r > d || (2n * r === d && q % 2n === 1n)) return q + 1n;
  return q;
}

const PRECISION = 10n ** 18n;

/**
 * splitFeesCollected: the DAO's share dao/(dao+proposer) as an 18-decimal sdk.Dec (Quo rounds
 * half to even), times the fees, truncated; the proposer gets the rest.
 */
export function splitFees(fees: bigint, daoAllocation: bigint, proposerAllocation: bigint): { dao: bigint; proposer: bigint } {
  const shares = daoAllocation + proposerAllocation;
  const share = shares > 0n ? divRoundHalfEven(daoAllocation * PRECISION, shares) : 0n;
  const dao = (fees * share) / PRECISION;
  return { dao, proposer: fees - dao };
}

/** Raw block txs of a height (the law needs the declared fee, which toTx drops). */
async function rawBlockTxs(ctx: AuditContext, height: number): Promise<any[]> {
  const res = await ctx.chain.query(0, '/v1/query/blocktxs', { height, page: 1, per_page: 100, order: 'asc' });
  return res?.txs ?? [];
}

/** Most blocks checked between two audited heights (those after a block with txs come first). */
const MAX_BLOCKS_PER_INTERVAL = 20;

/**
 * Every block of the interval whose previous block carried txs (the only ones with fees to
 * split, proofs' fee-collector mints aside), and the audited height itself.
 */
export async function checkFees(ctx: AuditContext, height: number, previous?: number): Promise<Violation[]> {
  const blocks = new Set<number>([height]);
  if (previous !== undefined) {
    for (let b = previous + 1; b < height && blocks.size < MAX_BLOCKS_PER_INTERVAL; b++) {
      if (b - 1 >= ctx.fromHeight && (await readBlockTxs(ctx.chain, 0, b - 1)).length) blocks.add(b);
    }
  }
  const out: Violation[] = [];
  for (const b of [...blocks].sort((x, y) => x - y)) out.push(...(await checkFeesAt(ctx, b)));
  return out;
}

async function checkFeesAt(ctx: AuditContext, height: number): Promise<Violation[]> {
  const before = height - 1;
  if (before < ctx.fromHeight) return []; // state below the range may be amino-encoded
  const out: Violation[] = [];
  const v = (detail: string) => out.push({ law: 'fees.distribution', height, detail });

  const [collected, feesNow, daoBefore, daoNow, txs, rawTxs, daoAlloc, proposerAlloc] = await Promise.all([
    balanceAt(ctx, FEE_COLLECTOR, before),
    balanceAt(ctx, FEE_COLLECTOR, height),
    readSupply(ctx.chain, 0, before).then((s) => s.dao),
    readSupply(ctx.chain, 0, height).then((s) => s.dao),
    readBlockTxs(ctx.chain, 0, height),
    rawBlockTxs(ctx, height),
    readParam(ctx.chain, 0, before, 'pos/DAOAllocation').then(big),
    readParam(ctx.chain, 0, before, 'pos/ProposerPercentage').then(big),
  ]);
  if (rawTxs.length < txs.length) return out; // more than one page of txs: the declared fees are not all at hand
  const split = splitFees(collected, daoAlloc, proposerAlloc);

  // 1. The DAO's change is its cut of the fees minus what DAO txs of this block moved out.
  const outflow = sum(txs.map(daoOutflow));
  const daoExpected = daoBefore + split.dao - outflow;
  if (daoNow !== daoExpected) {
    v(`DAO ${upokt(daoBefore)} at ${before} → ${upokt(daoNow)}, expected ${upokt(daoExpected)}: fees collected ${upokt(collected)} × ${daoAlloc}/(${daoAlloc}+${proposerAlloc}) = ${upokt(split.dao)}, DAO transfers and burns ${upokt(outflow)}`);
  }

  // 2. The collector was emptied and refilled by this block's fees (and proof mints) only.
  const fees = rawTxs.map((t) => ({ fee: feeOf(t), ok: Number(t.tx_result?.code ?? 0) === 0 }));
  const surelyPaid = sum(fees.filter((f) => f.ok).map((f) => f.fee));
  const atMost = sum(fees.map((f) => f.fee));
  const proofs = txs.some((t) => t.code === 0 && t.messageType === 'proof');
  const proposer = await proposerRecipient(ctx, before);
  if (proposer.found) {
    if (feesNow < surelyPaid || (!proofs && feesNow > atMost)) {
      v(`fee collector holds ${upokt(feesNow)} after block ${height}, its ${txs.length} tx(s) paid ${upokt(surelyPaid)}${atMost !== surelyPaid ? ` (${upokt(atMost)} counting failed ones)` : ''}${proofs ? ' and proofs minted some more' : ''}; ${upokt(collected)} collected before was due to the DAO and the proposer`);
    }
  }

  // 3. The proposer's recipient gained exactly its cut, where nothing else in the block can touch it.
  if (proposer.found && proposer.recipient && !proposer.delegators && !proofs && collected > 0n) {
    const recipient = proposer.recipient;
    const mentioned = rawTxs.some((t) => JSON.stringify([t.stdTx?.msg, t.tx_result?.signer, t.tx_result?.recipient]).toLowerCase().includes(recipient));
    if (!mentioned && !(await settlesStakeAt(ctx, before, recipient))) {
      const [was, is] = await Promise.all([balanceAt(ctx, recipient, before), balanceAt(ctx, recipient, height)]);
      if (is - was !== split.proposer) {
        v(`proposer of block ${before} (${proposer.validator}) paid to ${recipient}: ${upokt(was)} → ${upokt(is)} (Δ ${upokt(is - was)}), expected its cut ${upokt(split.proposer)} of ${upokt(collected)} fees`);
      }
    }
  }
  return out;
}

interface ProposerRecipient {
  found: boolean;
  validator?: string;
  recipient?: string;
  delegators?: boolean;
}

/** Block h's proposer as a validator at h: who its fee cut goes to (reward.go GetOutputAddressFromValidator). */
async function proposerRecipient(ctx: AuditContext, height: number): Promise<ProposerRecipient> {
  const block = await ctx.chain.query(0, '/v1/query/block', { height });
  const validator = lower(block?.block?.header?.proposer_address);
  if (!validator) return { found: false };
  try {
    const node = await ctx.chain.query(0, '/v1/query/node', { address: validator, height });
    if (!node?.address) return { found: false, validator };
    const delegators = node.reward_delegators && Object.keys(node.reward_delegators).length > 0;
    return { found: true, validator, recipient: lower(node.output_address) || validator, delegators: Boolean(delegators) };
  } catch (err) {
    if (err instanceof RpcRefusal) return { found: false, validator }; // no longer a validator: the cut stays in the collector
    throw err;
  }
}

/** Whether an unstaking or jailed actor paying out to `address` may settle in the next block's EndBlock. */
async function settlesStakeAt(ctx: AuditContext, height: number, address: string): Promise<boolean> {
  const [nodes, apps] = await Promise.all([readNodes(ctx.chain, 0, height), readApps(ctx.chain, 0, height)]);
  return [...nodes, ...apps].some((a) => (a.status === 1 || a.jailed) && (a.address === address || lower(a.raw.output_address) === address));
}
