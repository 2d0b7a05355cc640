/**
 * Query input validation (issue #16, family 10): how every route of the version under test that
 * takes an address, a transaction hash or a public key refuses a value of the wrong length and a
 * non-hex value of the right length, and how every route that takes a page or a height answers
 * page 0, a negative page and a negative height.
 *
 * Which routes take which input is derived at run time from the router and the handlers of the
 * module under test (app/cmd/rpc/server.go and the handler bodies in app/cmd/rpc/*.go), and the
 * test first checks that the tables below cover exactly those routes. Every expected answer is
 * the one the handler is coded to return (the source path is named next to it).
 *
 * Raw HTTP (axios, through `rawRpc`) throughout: pocket-js validates addresses, hashes and keys
 * before sending and has no call that sends a malformed one.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test, expect } from '../../fixtures/pocket';
import { expectUnlessKnownDefect } from '../../fixtures/known-defect';
import { routesOfModule } from '../../network/rpc-routes';
import type { StartedPocketNetwork } from '../../network/pocket-network';
import { jsonDocuments, type RawRpc } from '../../fixtures/rpc-client';

// ---------------------------------------------------------------------------------------------
// Malformed values, built so that no valid value can be among them.
// An address is 20 bytes (40 hex chars), a tx hash and a public key 32 bytes (64 hex chars).
// The wrong length is one byte short (an even count of hex digits, so it reaches the length
// check: 39 chars would stop at hex decoding with "odd length hex string"). The non-hex value has
// the right length and starts with 'zz', which hex decoding refuses at the first byte.
// ---------------------------------------------------------------------------------------------
const ADDRESS_WRONG_LENGTH = 'ab'.repeat(19); // 38 hex chars
const ADDRESS_NOT_HEX = `zz${'ab'.repeat(19)}`; // 40 chars
const HASH_WRONG_LENGTH = 'ab'.repeat(31); // 62 hex chars
const HASH_NOT_HEX = `zz${'ab'.repeat(31)}`; // 64 chars
const PUBKEY_WRONG_LENGTH = HASH_WRONG_LENGTH;
const PUBKEY_NOT_HEX = HASH_NOT_HEX;
const NEGATIVE_HEIGHT = -5;

type Answer = { status: number; body: unknown };
/** app/cmd/rpc/server.go WriteErrorResponse: `{"code": <status>, "message": err.Error()}`. */
const error400 = (message: string): Answer => ({ status: 400, body: { code: 400, message } });
/** types/errors.go sdk.Error's Error(), as WriteErrorResponse carries it. */
const sdkError400 = (codespace: string, code: number, message: string): Answer =>
  error400(`ERROR:\nCodespace: ${codespace}\nCode: ${code}\nMessage: "${message}"\n`);
/** encoding/hex's refusal of the first 'z' (every non-hex value here starts with it). */
const NOT_HEX = error400("encoding/hex: invalid byte: U+007A 'z'");
/** types/address.go VerifyAddressFormat, reached through sdk.AddressFromHex. */
const ADDRESS_LENGTH = error400('Incorrect address length');
/** x/pocketcore/types/crypto.go PubKeyVerification: CodePublKeyDecodeError (6) and CodePubKeySizeError (42). */
const PUBKEY_NOT_HEX_ERR = sdkError400('pocketcore', 6, 'error decoding the string into hex bytes');
const PUBKEY_LENGTH_ERR = sdkError400('pocketcore', 42, 'the public key is not the correct cap');
/** types/context.go PrevCtx, reached through app.NewContext(height) by every state query. */
const NO_BLOCK_AT_HEIGHT = error400('block at height not found');

// ---------------------------------------------------------------------------------------------
// What the handlers of the version under test take, derived from its source.
// ---------------------------------------------------------------------------------------------
interface HandlerInputs { address: boolean; hash: boolean; publicKey: boolean; height: boolean; page: boolean }

/** Route path -> what its handler reads from the request, for the routes this network serves. */
function handlerInputs(net: StartedPocketNetwork): Map<string, HandlerInputs> {
  const dir = path.join(net.image.core!.moduleDir, 'app', 'cmd', 'rpc');
  const sources = fs.readdirSync(dir).filter((f) => f.endsWith('.go') && !f.endsWith('_test.go')).map((f) => fs.readFileSync(path.join(dir, f), 'utf8')).join('\n');
  const handlerOf = new Map([...fs.readFileSync(path.join(dir, 'server.go'), 'utf8').matchAll(/Path:\s*"([^"]+)",\s*HandlerFunc:\s*(\w+)\s*\}/g)].map((m) => [m[1], m[2]]));
  const bodyOf = (fn: string) => {
    const start = sources.indexOf(`\nfunc ${fn}(`);
    if (start < 0) throw new Error(`handler ${fn} not found in app/cmd/rpc`);
    const next = sources.indexOf('\nfunc ', start + 1);
    return sources.slice(start, next < 0 ? undefined : next);
  };
  const served = routesOfModule(net.image.core!.moduleDir).filter((r) => r.method === 'POST' && (r.gate === 'always' || (net.spec.nodeFlags as string[]).includes(r.gate)));
  const inputs = new Map<string, HandlerInputs>();
  for (const r of served) {
    const fn = handlerOf.get(r.path);
    if (!fn) continue;
    const body = bodyOf(fn);
    inputs.set(r.path, {
      address: /params\.(Address|Addr)\b/.test(body),
      hash: /params\.Hash\b/.test(body),
      // A session header (dispatch) carries the app public key at its top level; relay and
      // challenge carry keys only inside proofs, which their own suites cover.
      publicKey: /params\.AppPubKey\b/.test(body) || /types\.SessionHeader\{\}/.test(body),
      height: /params\.Height\b/.test(body),
      page: /params\.(Opts\.)?Page\b/.test(body),
    });
  }
  return inputs;
}
const routesWith = (net: StartedPocketNetwork, pick: (i: HandlerInputs) => boolean) =>
  [...handlerInputs(net)].filter(([, i]) => pick(i)).map(([p]) => p).sort();

async function answer(rawRpc: RawRpc, net: StartedPocketNetwork, route: string, body: unknown): Promise<Answer> {
  const res = await rawRpc.post(net.node(1).rpcUrl, route, body);
  return { status: res.status, body: res.data };
}


// ---------------------------------------------------------------------------------------------
// (1) Addresses, hashes and public keys: one malformed value of each kind per input.
// ---------------------------------------------------------------------------------------------
interface MalformedCase {
  /** Which input, as the title says it. */
  input: string;
  body: (net: StartedPocketNetwork) => unknown;
  expect: Answer;
}
/** 'an address', 'a hash': the input with its article, for titles. */
const withArticle = (input: string) => `${/^[aeiou]/.test(input) ? 'an' : 'a'} ${input}`;
const addressCases = (extra: (net: StartedPocketNetwork) => Record<string, unknown> = () => ({})): MalformedCase[] => [
  { input: `address of 38 hex chars (19 bytes)`, body: (n) => ({ ...extra(n), address: ADDRESS_WRONG_LENGTH }), expect: ADDRESS_LENGTH },
  { input: `address of 40 chars that is not hex`, body: (n) => ({ ...extra(n), address: ADDRESS_NOT_HEX }), expect: NOT_HEX },
];
const claimHeader = (n: StartedPocketNetwork) => ({ address: n.keys.validators[0].address, app_pubkey: n.keys.apps[0].publicKey, blockchain: '0021', session_block_height: 1, receipt_type: 'relay' });

/** Routes whose answer is the documented refusal for every malformed value. */
const MALFORMED: Record<string, { source: string; cases: MalformedCase[] }> = {
  '/v1/query/account': { source: 'app/query.go QueryAccount: sdk.AddressFromHex', cases: addressCases() },
  '/v1/query/balance': { source: 'app/query.go QueryBalance -> QueryAccount: sdk.AddressFromHex', cases: addressCases() },
  '/v1/query/node': { source: 'app/query.go QueryNode: sdk.AddressFromHex', cases: addressCases() },
  '/v1/query/app': { source: 'app/query.go QueryApp: sdk.AddressFromHex', cases: addressCases() },
  '/v1/query/signinginfo': { source: 'app/query.go QuerySigningInfos: sdk.AddressFromHex for a non-empty address', cases: addressCases() },
  '/v1/query/nodeclaims': { source: 'app/query.go QueryClaims: sdk.AddressFromHex for a non-empty address', cases: addressCases() },
  '/v1/client/rawtx': { source: 'app/tx.go SendRawTx: sdk.AddressFromHex (after the raw bytes decode)', cases: addressCases(() => ({ raw_hex_bytes: 'abcd' })) },
  '/v1/query/nodeclaim': {
    source: 'app/query.go QueryClaim: sdk.AddressFromHex, then SessionHeader.ValidateHeader -> PubKeyVerification',
    cases: [
      ...addressCases(claimHeader),
      { input: 'app public key of 62 hex chars (31 bytes)', body: (n) => ({ ...claimHeader(n), app_pubkey: PUBKEY_WRONG_LENGTH }), expect: PUBKEY_LENGTH_ERR },
      { input: 'app public key of 64 chars that is not hex', body: (n) => ({ ...claimHeader(n), app_pubkey: PUBKEY_NOT_HEX }), expect: PUBKEY_NOT_HEX_ERR },
    ],
  },
  '/v1/client/dispatch': {
    source: 'x/pocketcore/keeper/session.go HandleDispatch: SessionHeader.ValidateHeader -> PubKeyVerification',
    cases: [
      { input: 'app public key of 62 hex chars (31 bytes)', body: () => ({ app_public_key: PUBKEY_WRONG_LENGTH, chain: '0021', session_height: 1 }), expect: PUBKEY_LENGTH_ERR },
      { input: 'app public key of 64 chars that is not hex', body: () => ({ app_public_key: PUBKEY_NOT_HEX, chain: '0021', session_height: 1 }), expect: PUBKEY_NOT_HEX_ERR },
    ],
  },
  '/v1/query/tx': {
    // No length check: a hash of the wrong length is looked up and not found (tendermint's
    // "tx (%X) not found", the hash upper-cased), like any unknown hash.
    source: 'app/query.go QueryTx: hex.DecodeString, then the tx indexer lookup',
    cases: [
      { input: 'hash of 62 hex chars (31 bytes)', body: () => ({ hash: HASH_WRONG_LENGTH }), expect: error400(`tx (${HASH_WRONG_LENGTH.toUpperCase()}) not found`) },
      { input: 'hash of 64 chars that is not hex', body: () => ({ hash: HASH_NOT_HEX }), expect: NOT_HEX },
    ],
  },
};

/**
 * Routes that do not refuse one of the malformed values today. The values they must refuse are
 * asserted first as above; the one they accept is a tracked defect.
 */
interface DefectiveInput {
  source: string;
  cases: MalformedCase[];
  defect: { id: string; input: string; bodies: (net: StartedPocketNetwork) => Record<string, unknown>; correct: Answer; defect: Answer };
}
const EMPTY_TX_SEARCH = { page_count: 0, total_txs: 0, txs: [] };
const DEFECTIVE_INPUTS: Record<string, DefectiveInput> = {
  '/v1/query/accounttxs': {
    source: 'app/query.go QueryAccountTxs / QueryRecipientTxs: hex.DecodeString only, no sdk.AddressFromHex',
    cases: [
      { input: 'address of 40 chars that is not hex (sent)', body: () => ({ address: ADDRESS_NOT_HEX }), expect: NOT_HEX },
      { input: 'address of 40 chars that is not hex (received)', body: () => ({ address: ADDRESS_NOT_HEX, received: true }), expect: NOT_HEX },
    ],
    defect: {
      id: 'PC-ACCOUNTTXS-ADDRESS-LENGTH-UNCHECKED',
      input: 'address of 38 hex chars (19 bytes), sent and received',
      bodies: () => ({ sent: { address: ADDRESS_WRONG_LENGTH }, received: { address: ADDRESS_WRONG_LENGTH, received: true } }),
      // Every other address route refuses it with VerifyAddressFormat's error.
      correct: { status: 400, body: { sent: ADDRESS_LENGTH.body, received: ADDRESS_LENGTH.body } },
      defect: { status: 200, body: { sent: EMPTY_TX_SEARCH, received: EMPTY_TX_SEARCH } },
    },
  },
  '/v1/query/unconfirmedtx': {
    // A hash of the wrong length is answered like any hash not in the mempool: 200 null.
    source: 'app/query.go QueryUnconfirmedTx: compares the lower-cased string with each mempool hash, no decoding',
    cases: [{ input: 'hash of 62 hex chars (31 bytes)', body: () => ({ hash: HASH_WRONG_LENGTH }), expect: { status: 200, body: null } }],
    defect: {
      id: 'PC-UNCONFIRMEDTX-HASH-NOT-HEX-ACCEPTED',
      input: 'hash of 64 chars that is not hex',
      bodies: () => ({ hash: { hash: HASH_NOT_HEX } }),
      // /v1/query/tx refuses the same value with encoding/hex's error.
      correct: { status: 400, body: { hash: NOT_HEX.body } },
      defect: { status: 200, body: { hash: null } },
    },
  },
};

// ---------------------------------------------------------------------------------------------
// (2) Pages and heights.
// ---------------------------------------------------------------------------------------------
/** The request of a paginated route at a fixed height, for a given page (nodes and apps take it in opts). */
const PAGED: Record<string, (page: number, height: number, net: StartedPocketNetwork) => unknown> = {
  '/v1/query/accounts': (page, height) => ({ height, page, per_page: 5 }),
  '/v1/query/accounttxs': (page, _h, net) => ({ address: net.keys.daoOwner.address, page, per_page: 1, order: 'asc' }),
  '/v1/query/blocktxs': (page, height) => ({ height, page, per_page: 1 }),
  '/v1/query/allblocktxs': (page, height) => ({ height, page, per_page: 1 }),
  '/v1/query/unconfirmedtxs': (page) => ({ page, per_page: 1 }),
  '/v1/query/nodeclaims': (page, height) => ({ height, page, per_page: 1 }),
  '/v1/query/signinginfo': (page, height) => ({ height, page, per_page: 2 }),
  '/v1/query/nodes': (page, height) => ({ height, opts: { page, per_page: 2 } }),
  '/v1/query/apps': (page, height) => ({ height, opts: { page, per_page: 1 } }),
};

/** The other fields a height-taking route needs, valid, so that only the height is wrong. */
const HEIGHT_BODY: Record<string, (net: StartedPocketNetwork) => Record<string, unknown>> = {
  '/v1/query/account': (n) => ({ address: n.keys.accounts[0].address }),
  '/v1/query/balance': (n) => ({ address: n.keys.accounts[0].address }),
  '/v1/query/node': (n) => ({ address: n.keys.validators[0].address }),
  '/v1/query/app': (n) => ({ address: n.keys.apps[0].address }),
  '/v1/query/nodeclaims': (n) => ({ address: n.keys.validators[0].address }),
  '/v1/query/signinginfo': (n) => ({ address: n.keys.validators[0].address }),
  '/v1/query/nodeclaim': claimHeader,
  '/v1/query/param': () => ({ key: 'pos/StakeMinimum' }),
  '/v1/query/accounttxs': (n) => ({ address: n.keys.daoOwner.address }),
};
const heightBody = (route: string, net: StartedPocketNetwork, height: number) => ({ ...(HEIGHT_BODY[route]?.(net) ?? {}), height });

/** Negative heights the handler refuses itself, not through the state store (each states its source). */
const NEGATIVE_HEIGHT_OWN: Record<string, { source: string; expect: Answer }> = {
  '/v1/query/block': { source: "tendermint's Block(height), via app/query.go QueryBlock", expect: error400(`height must be greater than 0, but got ${NEGATIVE_HEIGHT}`) },
};
/** Negative heights answered wrongly today: the route, its tracked defect and what is wrong. */
const NEGATIVE_HEIGHT_DEFECTS: Record<string, { id: string; what: string }> = {
  '/v1/query/blocktxs': { id: 'PC-BLOCKTXS-ERROR-DOUBLE-BODY', what: 'its error followed by the empty result in one body' },
  '/v1/query/allblocktxs': { id: 'PC-ALLBLOCKTXS-ERROR-DOUBLE-BODY', what: 'its error followed by the empty result in one body' },
  '/v1/query/accounttxs': { id: 'PC-ACCOUNTTXS-NEGATIVE-HEIGHT-IGNORED', what: 'the unfiltered transactions (the height is dropped unless > 0)' },
  '/v1/query/daoowner': { id: 'PC-DAOOWNER-HEIGHT-IGNORED', what: 'the current owner (the handler queries height 0 whatever it is sent)' },
};

test.describe('query input validation', () => {
  test('the tables cover exactly the served routes whose handlers read an address, hash, public key, page or height', async ({ network }) => {
    expect(routesWith(network, (i) => i.address || i.hash || i.publicKey), 'routes taking an address, a hash or a public key')
      .toEqual([...Object.keys(MALFORMED), ...Object.keys(DEFECTIVE_INPUTS)].sort());
    expect(routesWith(network, (i) => i.page), 'routes taking a page').toEqual(Object.keys(PAGED).sort());
    const heightRoutes = routesWith(network, (i) => i.height);
    expect(heightRoutes, 'the routes with their own negative-height answer take a height').toEqual(expect.arrayContaining([...Object.keys(NEGATIVE_HEIGHT_OWN), ...Object.keys(NEGATIVE_HEIGHT_DEFECTS)]));
  });

  for (const [route, { source, cases }] of Object.entries(MALFORMED)) {
    test(`POST ${route} refuses ${cases.map((c) => withArticle(c.input)).join(', ')} with HTTP ${[...new Set(cases.map((c) => c.expect.status))].join('/')} and the exact error of ${source}`, async ({ network, rawRpc }) => {
      for (const c of cases) {
        await test.step(c.input, async () => {
          expect(await answer(rawRpc, network, route, c.body(network)), `${route} ${c.input}`).toEqual(c.expect);
        });
      }
    });
  }

  for (const [route, d] of Object.entries(DEFECTIVE_INPUTS)) {
    test(`POST ${route}: ${d.cases.map((c) => `${withArticle(c.input)} gets ${c.expect.status} ${JSON.stringify(c.expect.body)}`).join('; ')}; ${withArticle(d.defect.input)} must be refused (${d.defect.id})`, async ({ network, rawRpc }) => {
      for (const c of d.cases) {
        await test.step(c.input, async () => {
          expect(await answer(rawRpc, network, route, c.body(network)), `${route} ${c.input}`).toEqual(c.expect);
        });
      }
      const observed: Answer = { status: 0, body: {} };
      const statuses = new Set<number>();
      for (const [name, body] of Object.entries(d.defect.bodies(network))) {
        const a = await test.step(`${d.defect.input}: ${name}`, () => answer(rawRpc, network, route, body));
        statuses.add(a.status);
        (observed.body as Record<string, unknown>)[name] = a.body;
      }
      expect(statuses.size, `${route}: one status for every request of the case`).toBe(1);
      observed.status = [...statuses][0];
      await expectUnlessKnownDefect(d.defect.id, observed, { correct: d.defect.correct, defect: d.defect.defect }, network);
    });
  }

  test(`every paginated route answers page 0 and page -1 exactly as page 1 (HTTP 200, the same body): ${Object.keys(PAGED).join(', ')}`, async ({ network, rawRpc }) => {
    // app/query.go checkPagination (page <= 0 -> 1); the nodes and apps handlers set page 0 to 1 first.
    const height = (await answer(rawRpc, network, '/v1/query/height', {})).body as { height: number };
    const pinned = height.height - 1; // a committed height, so that the three answers describe one state
    for (const [route, body] of Object.entries(PAGED)) {
      await test.step(route, async () => {
        const first = await answer(rawRpc, network, route, body(1, pinned, network));
        expect.soft(first.status, `${route} page 1: status`).toBe(200);
        expect.soft(await answer(rawRpc, network, route, body(0, pinned, network)), `${route} page 0`).toEqual(first);
        expect.soft(await answer(rawRpc, network, route, body(-1, pinned, network)), `${route} page -1`).toEqual(first);
      });
    }
  });

  test(`every state query refuses a negative height with HTTP 400 {"code":400,"message":"block at height not found"} (types/context.go PrevCtx)`, async ({ network, rawRpc }) => {
    const routes = routesWith(network, (i) => i.height).filter((r) => !(r in NEGATIVE_HEIGHT_OWN) && !(r in NEGATIVE_HEIGHT_DEFECTS));
    expect(routes.length, 'state queries taking a height').toBeGreaterThan(15);
    for (const route of routes) {
      await test.step(route, async () => {
        expect.soft(await answer(rawRpc, network, route, heightBody(route, network, NEGATIVE_HEIGHT)), `${route} height ${NEGATIVE_HEIGHT}`).toEqual(NO_BLOCK_AT_HEIGHT);
      });
    }
  });

  for (const [route, { source, expect: want }] of Object.entries(NEGATIVE_HEIGHT_OWN)) {
    test(`POST ${route} refuses a negative height with HTTP ${want.status} ${JSON.stringify(want.body)} (${source})`, async ({ network, rawRpc }) => {
      expect(await answer(rawRpc, network, route, heightBody(route, network, NEGATIVE_HEIGHT))).toEqual(want);
    });
  }

  for (const route of ['/v1/query/blocktxs', '/v1/query/allblocktxs']) {
    const { id, what } = NEGATIVE_HEIGHT_DEFECTS[route];
    test(`POST ${route} must answer a negative height with its error alone, not ${what} (${id})`, async ({ network, rawRpc }) => {
      const res = await rawRpc.post(network.node(1).rpcUrl, route, { height: NEGATIVE_HEIGHT });
      const errorDoc = route === '/v1/query/blocktxs'
        // QueryBlockTxs builds the tx search query "tx.height=-5", which tendermint cannot parse.
        ? { code: 400, message: '\nparse error near equal (line 1 symbol 11 - line 1 symbol 12):\n"="\n' }
        // QueryAllBlockTxs asks tendermint for the block itself.
        : { code: 400, message: `height must be greater than 0, but got ${NEGATIVE_HEIGHT}` };
      await expectUnlessKnownDefect(id, { status: res.status, documents: jsonDocuments(res.data) }, {
        correct: { status: 400, documents: [errorDoc] },
        defect: { status: 400, documents: [errorDoc, { page_count: 0, total_txs: 0, txs: null }] },
      }, network);
    });
  }

  for (const route of ['/v1/query/accounttxs', '/v1/query/daoowner']) {
    const { id, what } = NEGATIVE_HEIGHT_DEFECTS[route];
    test(`POST ${route} must refuse a negative height like the state queries (400 "block at height not found"), not answer ${what} (${id})`, async ({ network, rawRpc }) => {
      // The answer without a height (the latest state): what the defect hands back for height -5.
      const latest = await answer(rawRpc, network, route, HEIGHT_BODY[route]?.(network) ?? {});
      expect(latest.status, `${route} without a height`).toBe(200);
      expect(latest.body, `${route} without a height: not empty, so an ignored height shows`).not.toEqual(EMPTY_TX_SEARCH);
      const observed = await answer(rawRpc, network, route, heightBody(route, network, NEGATIVE_HEIGHT));
      await expectUnlessKnownDefect(id, observed, { correct: NO_BLOCK_AT_HEIGHT, defect: latest }, network);
    });
  }
});
