/**
 * Typed reads of one height's state through the RPC, shaped as pocket-core answers them
 * (app/cmd/rpc/query.go, app/query.go). Paginated lists are read whole; the raw pages are kept
 * for the pagination law.
 */
import * as crypto from 'node:crypto';
import type { CachedSource } from './source';

export const DENOM = 'upokt';

/** Integers as pocket-core writes them (strings for sdk.BigInt, numbers for big.Int) → bigint. */
export function big(v: unknown): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
  if (typeof v === 'string' && /^-?\d+$/.test(v.trim())) return BigInt(v.trim());
  throw new Error(`not an integer: ${JSON.stringify(v)}`);
}

export const lower = (a: unknown): string => String(a ?? '').toLowerCase();

/**
 * A module account's address: tendermint's AddressHash (first 20 bytes of SHA-256) of its name
 * (x/auth/types/account.go NewModuleAddress).
 */
export function moduleAddress(name: string): string {
  return crypto.createHash('sha256').update(name).digest('hex').slice(0, 40);
}

/** Module accounts the supply is split into (x/nodes/types/pool.go, x/apps/types/pool.go, x/gov/types/dao.go). */
export const MODULE_ACCOUNTS = {
  nodeStakedPool: moduleAddress('staked_tokens_pool'),
  appStakedPool: moduleAddress('application_staked_tokens_pool'),
  dao: moduleAddress('dao'),
} as const;

export interface Supply {
  nodeStaked: bigint;
  appStaked: bigint;
  dao: bigint;
  totalStaked: bigint;
  totalUnstaked: bigint;
  total: bigint;
}

export interface Account {
  address: string;
  upokt: bigint;
  raw: any;
}

export interface StakedActor {
  address: string;
  status: number;
  jailed: boolean;
  chains: string[];
  tokens: bigint;
  unstakingTime: string;
  raw: any;
}

export interface Claim {
  from: string;
  appPubKey: string;
  chain: string;
  sessionHeight: number;
  totalProofs: bigint;
  expirationHeight: number;
}

export interface ListPages<T> {
  /** Every page in order, as answered. */
  pages: T[][];
  /** Page 1's total_pages. */
  totalPages: number;
}

export interface TxResult {
  hash: string;
  height: number;
  index: number;
  code: number;
  signer: string;
  /** The tx's recipient as the indexer records it (tx.recipient: sends, DAO transfers), else ''. */
  recipient: string;
  messageType: string;
  msg: any;
}

export const readSupply = async (c: CachedSource, node: number, height: number): Promise<Supply> => {
  const s = await c.query(node, '/v1/query/supply', { height });
  return {
    nodeStaked: big(s.node_staked),
    appStaked: big(s.app_staked),
    dao: big(s.dao),
    totalStaked: big(s.total_staked),
    totalUnstaked: big(s.total_unstaked),
    total: big(s.total),
  };
};

/** The object holding address and coins: flat, amino-wrapped ({type, value}) or a module account's embedded base. */
function accountBody(raw: any, depth = 0): any {
  if (!raw || typeof raw !== 'object' || depth > 3) return raw;
  if ('address' in raw && 'coins' in raw) return raw;
  for (const k of ['value', 'BaseAccount', 'base_account']) if (raw[k]) return accountBody(raw[k], depth + 1);
  return raw;
}

/** An account as `accounts`/`account`/`state` answer it. */
export function toAccount(raw: any): Account {
  const a = accountBody(raw);
  const coins: Array<{ denom: string; amount: unknown }> = a?.coins ?? [];
  const upokt = coins.filter((c) => c.denom === DENOM).reduce((sum, c) => sum + big(c.amount), 0n);
  return { address: lower(a?.address), upokt, raw };
}

export function toActor(raw: any): StakedActor {
  return {
    address: lower(raw.address),
    status: Number(raw.status),
    jailed: Boolean(raw.jailed),
    chains: raw.chains ?? [],
    tokens: big(raw.tokens ?? raw.staked_tokens),
    unstakingTime: String(raw.unstaking_time ?? ''),
    raw,
  };
}

export function toClaim(raw: any): Claim {
  return {
    from: lower(raw.from_address),
    appPubKey: String(raw.header?.app_public_key ?? ''),
    chain: String(raw.header?.chain ?? ''),
    sessionHeight: Number(raw.header?.session_height),
    totalProofs: big(raw.total_proofs ?? 0),
    expirationHeight: Number(raw.expiration_height),
  };
}

/** Pages of a `Page` route ({result, total_pages, page}, app/query.go paginate) until an empty page. */
async function readPages(c: CachedSource, node: number, route: string, body: (page: number) => Record<string, unknown>, maxPages = 1000): Promise<ListPages<any>> {
  const pages: any[][] = [];
  let totalPages = 1;
  for (let page = 1; page <= maxPages; page++) {
    const p = await c.query(node, route, body(page));
    const items: any[] = Array.isArray(p?.result) ? p.result : [];
    if (page === 1) totalPages = Number(p?.total_pages ?? 1) || 1;
    if (!items.length) break;
    pages.push(items);
    if (page >= totalPages) break;
  }
  return { pages, totalPages };
}

/** Page sizes: the whole list in one page (pocket-core's own caps: 10000 accounts, max validators/apps), and a small one. */
export const WHOLE_PAGE = 10_000;

export const accountPages = (c: CachedSource, node: number, height: number, perPage = WHOLE_PAGE) =>
  readPages(c, node, '/v1/query/accounts', (page) => ({ height, page, per_page: perPage }));
export const nodePages = (c: CachedSource, node: number, height: number, perPage = WHOLE_PAGE) =>
  readPages(c, node, '/v1/query/nodes', (page) => ({ height, opts: { page, per_page: perPage } }));
export const appPages = (c: CachedSource, node: number, height: number, perPage = WHOLE_PAGE) =>
  readPages(c, node, '/v1/query/apps', (page) => ({ height, opts: { page, per_page: perPage } }));
export const claimPages = (c: CachedSource, node: number, height: number) =>
  readPages(c, node, '/v1/query/nodeclaims', (page) => ({ height, page, per_page: WHOLE_PAGE }));

export const readAccounts = async (c: CachedSource, node: number, height: number) => (await accountPages(c, node, height)).pages.flat().map(toAccount);
export const readNodes = async (c: CachedSource, node: number, height: number) => (await nodePages(c, node, height)).pages.flat().map(toActor);
export const readApps = async (c: CachedSource, node: number, height: number) => (await appPages(c, node, height)).pages.flat().map(toActor);
export const readClaims = async (c: CachedSource, node: number, height: number) => (await claimPages(c, node, height)).pages.flat().map(toClaim);

export function toTx(raw: any): TxResult {
  return {
    hash: lower(raw.hash),
    height: Number(raw.height),
    index: Number(raw.index),
    code: Number(raw.tx_result?.code ?? 0),
    signer: lower(raw.tx_result?.signer),
    recipient: lower(raw.tx_result?.recipient),
    messageType: String(raw.tx_result?.message_type ?? ''),
    msg: raw.stdTx?.msg,
  };
}

/** Every tx of block `height` (`blocktxs`, a tendermint tx search {txs, page_count, total_txs}). */
export async function readBlockTxs(c: CachedSource, node: number, height: number): Promise<TxResult[]> {
  const txs: TxResult[] = [];
  for (let page = 1; page <= 100; page++) {
    const res = await c.query(node, '/v1/query/blocktxs', { height, page, per_page: 100, order: 'asc' });
    const batch: any[] = res?.txs ?? [];
    txs.push(...batch.map(toTx));
    if (!batch.length || txs.length >= Number(res?.total_txs ?? 0)) break;
  }
  return txs;
}

export interface BlockId {
  hash: string;
  appHash: string;
  time: string;
  /** Txs the block header counts (undefined when the header does not say). */
  numTxs?: number;
}

export async function readBlock(c: CachedSource, node: number, height: number): Promise<BlockId> {
  const b = await c.query(node, '/v1/query/block', { height });
  const numTxs = b?.block?.header?.num_txs;
  return { hash: lower(b?.block_id?.hash), appHash: lower(b?.block?.header?.app_hash), time: String(b?.block?.header?.time ?? ''), numTxs: numTxs === undefined ? undefined : Number(numTxs) };
}

/** One param's value (`/v1/query/param`, app/query.go QueryParam), as a string. */
export async function readParam(c: CachedSource, node: number, height: number, key: string): Promise<string> {
  const p = await c.query(node, '/v1/query/param', { height, key });
  return typeof p?.param_value === 'string' ? p.param_value : JSON.stringify(p?.param_value);
}

/** `allparams` as key → value (order ignored: it is not deterministic, a tracked defect). */
export async function readAllParams(c: CachedSource, node: number, height: number): Promise<Map<string, string>> {
  const all = await c.query(node, '/v1/query/allparams', { height });
  const groups = ['app_params', 'node_params', 'pocket_params', 'gov_params', 'auth_params'];
  const entries = groups.flatMap((g) => (all?.[g] ?? []).map((p: any) => [String(p.param_key), typeof p.param_value === 'string' ? p.param_value : JSON.stringify(p.param_value)] as [string, string]));
  return new Map(entries.sort(([a], [b]) => a.localeCompare(b)));
}
