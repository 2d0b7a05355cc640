/** Consistency between views of one state: list vs single-item routes, pages vs the whole list, RPC vs state export. */
import { accountPages, appPages, big, lower, nodePages, readAccounts, readApps, readClaims, readNodes, toAccount, toActor, toClaim, type ListPages, type StakedActor } from './chain';
import { sampleItems, type AuditContext, type Violation } from './types';

/** The fields both the list and the single-item routes carry (their JSON differs in field order only). */
const actorKey = (a: StakedActor) => JSON.stringify([a.address, a.status, a.jailed, [...a.chains].sort(), a.tokens.toString(), a.unstakingTime, a.raw.service_url ?? null, a.raw.max_relays ?? null]);

async function single(ctx: AuditContext, route: string, height: number, address: string): Promise<any> {
  return ctx.chain.query(0, route, { height, address });
}

/** Addresses the txs of block `height` name (signer, recipient, message fields): the items most likely to have changed. */
async function touchedAt(ctx: AuditContext, height: number): Promise<string> {
  const res = await ctx.chain.query(0, '/v1/query/blocktxs', { height, page: 1, per_page: 100, order: 'asc' });
  return JSON.stringify((res?.txs ?? []).map((t: any) => [t.stdTx?.msg, t.tx_result?.signer, t.tx_result?.recipient])).toLowerCase();
}

/** Every item of `nodes`, `apps`, `accounts` (or a rotating sample of `maxItems`) is what `node`, `app`, `account` and `balance` answer for it. */
export async function checkSingleItem(ctx: AuditContext, height: number): Promise<Violation[]> {
  const out: Violation[] = [];
  const v = (detail: string) => out.push({ law: 'views.single-item', height, detail });
  const touched = await touchedAt(ctx, height);
  const pick = <T extends { address: string }>(items: T[]) => sampleItems(items, ctx.options.maxItems, height, (t) => touched.includes(t.address));
  for (const [list, route] of [[await readNodes(ctx.chain, 0, height), '/v1/query/node'], [await readApps(ctx.chain, 0, height), '/v1/query/app']] as const) {
    for (const item of pick(list)) {
      const one = toActor(await single(ctx, route, height, item.address));
      if (actorKey(one) !== actorKey(item)) v(`${route} ${item.address}: list says ${actorKey(item)}, single route says ${actorKey(one)}`);
    }
  }
  for (const acc of pick(await readAccounts(ctx.chain, 0, height))) {
    const balance = big((await single(ctx, '/v1/query/balance', height, acc.address))?.balance);
    const account = toAccount(await single(ctx, '/v1/query/account', height, acc.address));
    if (balance !== acc.upokt) v(`balance of ${acc.address}: accounts list ${acc.upokt} upokt, /v1/query/balance ${balance} upokt`);
    if (account.upokt !== acc.upokt || account.address !== acc.address) v(`account ${acc.address}: accounts list ${acc.upokt} upokt, /v1/query/account ${account.address} ${account.upokt} upokt`);
  }
  return out;
}

const addressOf = (raw: any) => lower(toAccount(raw).address || raw?.address);

/** Pages of `perPage` concatenated are the whole list: same items, none missing, none twice, page 1 counting the pages right. */
function comparePages(what: string, whole: ListPages<any>, paged: ListPages<any>, perPage: number, height: number): Violation[] {
  const all = whole.pages.flat().map(addressOf);
  const out: string[] = [];
  const seen = new Map<string, number>();
  paged.pages.forEach((items, i) => items.forEach((raw) => {
    const a = addressOf(raw);
    if (seen.has(a)) out.push(`duplicate: ${a} on page ${seen.get(a)} and again on page ${i + 1}`);
    else seen.set(a, i + 1);
  }));
  const missing = all.filter((a) => !seen.has(a));
  const extra = [...seen.keys()].filter((a) => !all.includes(a));
  if (missing.length) out.push(`missing from the pages: ${missing.join(', ')}`);
  if (extra.length) out.push(`on a page but not in the whole list: ${extra.join(', ')}`);
  const expectedPages = Math.max(1, Math.ceil(all.length / perPage));
  if (paged.totalPages !== expectedPages) out.push(`page 1 says total_pages ${paged.totalPages}, ${all.length} items / ${perPage} per page make ${expectedPages}`);
  return out.map((d) => ({ law: 'views.pagination', height, detail: `${what} (per_page ${perPage}, ${all.length} items): ${d}` }));
}

/** The per-page size that splits a list of n into about four pages. */
export const smallPage = (n: number) => Math.max(1, Math.ceil(n / 4));

export async function checkPagination(ctx: AuditContext, height: number): Promise<Violation[]> {
  const out: Violation[] = [];
  for (const [what, read] of [['accounts', accountPages], ['nodes', nodePages], ['apps', appPages]] as const) {
    const whole = await read(ctx.chain, 0, height);
    const n = whole.pages.flat().length;
    if (n < 2) continue;
    const perPage = smallPage(n);
    out.push(...comparePages(what, whole, await read(ctx.chain, 0, height, perPage), perPage, height));
  }
  return out;
}

/** `/v1/query/state` at a height holds the same accounts, nodes, apps and claims as the list routes. */
export async function checkStateExport(ctx: AuditContext, height: number): Promise<Violation[]> {
  const state = await ctx.chain.query(0, '/v1/query/state', { height });
  const app = state?.app_state ?? {};
  const out: Violation[] = [];
  const compare = (what: string, exported: Map<string, string>, listed: Map<string, string>) => {
    for (const [k, v] of listed) if (exported.get(k) !== v) out.push({ law: 'views.state-export', height, detail: `${what} ${k}: list route ${v}, state export ${exported.get(k) ?? 'absent'}` });
    for (const [k, v] of exported) if (!listed.has(k)) out.push({ law: 'views.state-export', height, detail: `${what} ${k}: state export ${v}, absent from the list route` });
  };
  const accounts = (xs: any[]) => new Map(xs.map(toAccount).filter((a) => a.upokt !== 0n).map((a) => [a.address, `${a.upokt} upokt`]));
  compare('account', accounts(app.auth?.accounts ?? []), accounts((await readAccounts(ctx.chain, 0, height)).map((a) => a.raw)));
  const actors = (xs: StakedActor[]) => new Map(xs.map((a) => [a.address, `status ${a.status} jailed ${a.jailed} tokens ${a.tokens}`]));
  compare('node', actors((app.pos?.validators ?? []).map(toActor)), actors(await readNodes(ctx.chain, 0, height)));
  compare('app', actors((app.application?.applications ?? []).map(toActor)), actors(await readApps(ctx.chain, 0, height)));
  const claims = (xs: any[]) => new Map(xs.map(toClaim).map((c) => [`${c.from}/${c.chain}/${c.sessionHeight}/${c.appPubKey}`, `${c.totalProofs} proofs, expires ${c.expirationHeight}`]));
  compare('claim', claims(app.pocketcore?.claims ?? []), claims((await readClaims(ctx.chain, 0, height)).map((c) => ({ from_address: c.from, header: { app_public_key: c.appPubKey, chain: c.chain, session_height: c.sessionHeight }, total_proofs: c.totalProofs.toString(), expiration_height: c.expirationHeight }))));
  return out;
}
