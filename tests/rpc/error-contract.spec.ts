/**
 * The error contract of every always-on route: what pocket-core answers to malformed JSON, wrong
 * types, missing fields, heights it does not have, unknown addresses and hashes. The expected
 * answers are pocket-core's own (observed on the version under test and written down here), so
 * any change in error behaviour shows up as a regression. Raw HTTP (axios) throughout: pocket-js
 * validates inputs before sending and cannot send these bodies.
 */
import { test, expect } from '../../fixtures/pocket';
import { jsonDocuments } from '../../fixtures/rpc-client';
import { expectUnlessKnownDefect } from '../../fixtures/known-defect';
import type { StartedPocketNetwork } from '../../network/pocket-network';

type Expect = { status: number; body: unknown };
interface Case {
  name: string;
  body: (net: StartedPocketNetwork) => unknown;
  expect: (net: StartedPocketNetwork) => Expect;
}
/**
 * A case the version under test answers wrongly (a tracked defect, reports/known-defects.json).
 * Its answer is compared as the status and every JSON document of the raw body, in order: what a
 * fixed node answers (`correct`) and the exact answer of today's (`defect`).
 */
interface DefectCase {
  name: string;
  defectId: string;
  body: () => unknown;
  correct: { status: number; documents: unknown[] };
  defect: { status: number; documents: unknown[] };
}

const FAR_FUTURE = 1_000_000_000;
const UNKNOWN_ADDRESS = 'ab'.repeat(20);
const error = (message: string | RegExp) => ({ code: 400, message: typeof message === 'string' ? message : expect.stringMatching(message) });
const sdkError = (codespace: string, code: number, message: string) =>
  error(`ERROR:\nCodespace: ${codespace}\nCode: ${code}\nMessage: "${message}"\n`);

const malformed: Case = { name: 'malformed JSON', body: () => '{"height":', expect: () => ({ status: 400, body: error('unexpected end of JSON input') }) };
const mistypedHeight = (struct: string): Case => ({
  name: 'height of the wrong type',
  body: () => ({ height: 'abc' }),
  expect: () => ({ status: 400, body: error(`json: cannot unmarshal string into Go struct field ${struct}.height of type int64`) }),
});
const negativeHeight: Case = { name: 'negative height', body: () => ({ height: -5 }), expect: () => ({ status: 400, body: error('block at height not found') }) };
const futureHeight: Case = {
  name: 'height beyond the chain',
  body: () => ({ height: FAR_FUTURE }),
  expect: () => ({ status: 400, body: error(new RegExp(`^error loading store: .* wanted to load target ${FAR_FUTURE} but only found up to \\d+$`)) }),
};
/** The cases every height-taking query shares. */
const heightCases = (struct: string) => [malformed, mistypedHeight(struct), negativeHeight, futureHeight];

const CONTRACT: Record<string, Case[]> = {
  '/v1/query/account': [
    ...heightCases('HeightAndAddrParams'),
    { name: 'unknown address', body: () => ({ address: UNKNOWN_ADDRESS }), expect: () => ({ status: 200, body: null }) },
    { name: 'address that is not hex', body: () => ({ address: 'zz' }), expect: () => ({ status: 400, body: error("encoding/hex: invalid byte: U+007A 'z'") }) },
  ],
  '/v1/query/accounts': [
    ...heightCases('PaginatedHeightParams'),
    { name: 'page beyond the last', body: () => ({ page: 999, per_page: 10 }), expect: () => ({ status: 200, body: { page: 0, result: null, total_pages: 0 } }) },
  ],
  '/v1/query/accounttxs': [
    malformed,
    mistypedHeight('PaginateAddrParams'),
    { name: 'unknown address', body: () => ({ address: UNKNOWN_ADDRESS }), expect: () => ({ status: 200, body: { page_count: 0, total_txs: 0, txs: [] } }) },
  ],
  '/v1/query/acl': heightCases('HeightParams'),
  '/v1/query/allparams': heightCases('HeightParams'),
  '/v1/query/app': [
    ...heightCases('HeightAndAddrParams'),
    { name: 'address of no application', body: () => ({ address: UNKNOWN_ADDRESS }), expect: () => ({ status: 400, body: sdkError('application', 101, 'application does not exist for that address') }) },
  ],
  '/v1/query/appparams': heightCases('HeightParams'),
  '/v1/query/apps': [
    ...heightCases('HeightAndApplicaitonOptsParams'),
    { name: 'page beyond the last', body: () => ({ opts: { page: 99, per_page: 2 } }), expect: () => ({ status: 200, body: { result: null, total_pages: 0, page: 0 } }) },
  ],
  '/v1/query/balance': [
    ...heightCases('HeightAndAddrParams'),
    { name: 'unknown address', body: () => ({ address: UNKNOWN_ADDRESS }), expect: () => ({ status: 200, body: { balance: 0 } }) },
    { name: 'address that is not hex', body: () => ({ address: 'zz' }), expect: () => ({ status: 400, body: error("encoding/hex: invalid byte: U+007A 'z'") }) },
  ],
  '/v1/query/block': [
    malformed,
    mistypedHeight('HeightParams'),
    { name: 'negative height', body: () => ({ height: -5 }), expect: () => ({ status: 400, body: error('height must be greater than 0, but got -5') }) },
    { name: 'height beyond the chain', body: () => ({ height: FAR_FUTURE }), expect: () => ({ status: 400, body: error(new RegExp(`^height ${FAR_FUTURE} must be less than or equal to the current blockchain height \\d+$`)) }) },
  ],
  '/v1/query/blocktxs': [
    malformed,
    mistypedHeight('PaginatedHeightParams'),
    { name: 'height beyond the chain', body: () => ({ height: FAR_FUTURE }), expect: () => ({ status: 200, body: { page_count: 0, total_txs: 0, txs: [] } }) },
  ],
  '/v1/query/daoowner': [malformed, mistypedHeight('HeightParams')],
  '/v1/query/height': [
    // The height route ignores its body entirely: even malformed JSON gets the height.
    { name: 'malformed JSON (ignored)', body: () => '{"height":', expect: () => ({ status: 200, body: { height: expect.any(Number) } }) },
  ],
  '/v1/query/node': [
    ...heightCases('HeightAndAddrParams'),
    { name: 'address of no validator', body: () => ({ address: UNKNOWN_ADDRESS }), expect: () => ({ status: 400, body: error(`validator not found for ${UNKNOWN_ADDRESS}`) }) },
    { name: 'address that is not hex', body: () => ({ address: 'zz' }), expect: () => ({ status: 400, body: error("encoding/hex: invalid byte: U+007A 'z'") }) },
  ],
  '/v1/query/nodeclaim': [
    malformed,
    mistypedHeight('QueryNodeReceiptParam'),
    { name: 'missing app public key', body: () => ({}), expect: () => ({ status: 400, body: sdkError('pocketcore', 42, 'the public key is not the correct cap') }) },
    { name: 'servicer address that is not hex', body: (net) => ({ address: 'zz', blockchain: '0021', app_pubkey: net.keys.apps[0].publicKey, session_block_height: 1, receipt_type: 'relay' }), expect: () => ({ status: 400, body: error("encoding/hex: invalid byte: U+007A 'z'") }) },
  ],
  '/v1/query/nodeclaims': [
    ...heightCases('PaginatedHeightAndAddrParams'),
    { name: 'unknown servicer', body: () => ({ address: UNKNOWN_ADDRESS }), expect: () => ({ status: 200, body: { page: 0, result: null, total_pages: 0 } }) },
  ],
  '/v1/query/nodeparams': heightCases('HeightParams'),
  '/v1/query/nodes': [
    ...heightCases('HeightAndValidatorOptsParams'),
    { name: 'page beyond the last', body: () => ({ opts: { page: 10_000, per_page: 2 } }), expect: () => ({ status: 200, body: { result: null, total_pages: 0, page: 0 } }) },
  ],
  '/v1/query/param': [
    ...heightCases('HeightAndKeyParams'),
    { name: 'unknown param key', body: () => ({ key: 'pos/NoSuchParam' }), expect: () => ({ status: 200, body: { param_key: '', param_value: '' } }) },
  ],
  '/v1/query/pocketparams': heightCases('HeightParams'),
  '/v1/query/state': heightCases('HeightParams'),
  '/v1/query/supply': heightCases('HeightParams'),
  '/v1/query/supportedchains': heightCases('HeightParams'),
  '/v1/query/tx': [
    malformed,
    { name: 'hash of the wrong type', body: () => ({ hash: 5 }), expect: () => ({ status: 400, body: error('json: cannot unmarshal number into Go struct field HashAndProveParams.hash of type string') }) },
    { name: 'missing hash', body: () => ({}), expect: () => ({ status: 400, body: error('transaction hash cannot be empty') }) },
    { name: 'unknown hash', body: () => ({ hash: 'AB' }), expect: () => ({ status: 400, body: error('tx (AB) not found') }) },
  ],
  '/v1/query/upgrade': heightCases('HeightParams'),
  '/v1/query/signinginfo': [
    ...heightCases('PaginatedHeightAndAddrParams'),
    { name: 'unknown validator', body: () => ({ address: UNKNOWN_ADDRESS }), expect: () => ({ status: 200, body: { page: 0, result: null, total_pages: 0 } }) },
  ],
  '/v1/query/unconfirmedtxs': [malformed, mistypedHeight('PaginatedHeightParams')],
  '/v1/query/unconfirmedtx': [
    malformed,
    { name: 'hash of the wrong type', body: () => ({ hash: 5 }), expect: () => ({ status: 400, body: error('json: cannot unmarshal number into Go struct field HashAndProveParams.hash of type string') }) },
    { name: 'unknown hash', body: () => ({ hash: 'AB' }), expect: () => ({ status: 200, body: null }) },
  ],
  '/v1/query/allblocktxs': [malformed],
  '/v1/client/dispatch': [
    malformed,
    { name: 'missing app public key', body: () => ({}), expect: () => ({ status: 400, body: sdkError('pocketcore', 42, 'the public key is not the correct cap') }) },
    { name: 'chain no node serves', body: (net) => ({ app_public_key: net.keys.apps[0].publicKey, chain: '9999', session_height: 1 }), expect: () => ({ status: 400, body: sdkError('pocketcore', 17, 'there are less than the minimum session nodes found') }) },
  ],
  '/v1/client/relay': [
    // The relay handler leaks Go's json.SyntaxError as its error object.
    { name: 'malformed JSON', body: () => '{"height":', expect: () => ({ status: 400, body: { dispatch: null, error: { Offset: 10 } } }) },
    { name: 'empty relay', body: () => ({}), expect: () => ({ status: 400, body: { dispatch: null, error: { code: 60, codespace: 'pocketcore', message: 'the block height passed is invalid' } } }) },
  ],
  '/v1/client/rawtx': [
    malformed,
    { name: 'address of the wrong type', body: () => ({ address: 5 }), expect: () => ({ status: 400, body: error('json: cannot unmarshal number into Go struct field SendRawTxParams.address of type string') }) },
    { name: 'bytes that are not hex', body: () => ({ address: UNKNOWN_ADDRESS, raw_hex_bytes: 'zz' }), expect: () => ({ status: 400, body: error("encoding/hex: invalid byte: U+007A 'z'") }) },
    { name: 'address of the wrong length', body: () => ({ address: 'ab', raw_hex_bytes: 'abcd' }), expect: () => ({ status: 400, body: error('Incorrect address length') }) },
    // An empty transaction is answered 200 with the SDK error inside: clients must read `code`.
    { name: 'no transaction bytes', body: () => ({}), expect: () => ({ status: 200, body: expect.objectContaining({ code: 2, raw_log: expect.stringContaining('txBytes are empty') }) }) },
  ],
  '/v1/client/challenge': [
    malformed,
    { name: 'empty challenge', body: () => ({}), expect: () => ({ status: 400, body: sdkError('pocketcore', 45, 'the app could not be found in the world state') }) },
  ],
  '/v1/client/sim': [
    malformed,
    { name: 'chain the node does not host', body: () => ({}), expect: () => ({ status: 400, body: sdkError('pocketcore', 46, 'the blockchain requested is not hosted') }) },
  ],
  '/v1/private/chains': [{ name: 'no auth token', body: () => ({}), expect: () => ({ status: 401, body: { code: 401, message: 'wrong authtoken ' } }) }],
  '/v1/private/nodes': [{ name: 'no auth token', body: () => ({}), expect: () => ({ status: 401, body: { code: 401, message: 'wrong authtoken ' } }) }],
  '/v1/private/updatechains': [{ name: 'no auth token', body: () => ({}), expect: () => ({ status: 401, body: { code: 401, message: 'wrong authtoken ' } }) }],
  '/v1/private/stop': [{ name: 'no auth token', body: () => ({}), expect: () => ({ status: 401, body: { code: 401, message: 'wrong authtoken ' } }) }],
};


/**
 * The blocktxs and allblocktxs handlers write the query's error and then, missing a `return`,
 * also marshal the empty result into the same response. A fixed node answers the error alone.
 */
const EMPTY_RESULT = { page_count: 0, total_txs: 0, txs: null };
const BLOCKTXS_NEGATIVE = { code: 400, message: '\nparse error near equal (line 1 symbol 11 - line 1 symbol 12):\n"="\n' };
const ALLBLOCKTXS_NEGATIVE = { code: 400, message: 'height must be greater than 0, but got -5' };
const DEFECTS: Record<string, DefectCase[]> = {
  '/v1/query/blocktxs': [{
    name: 'negative height',
    defectId: 'PC-BLOCKTXS-ERROR-DOUBLE-BODY',
    body: () => ({ height: -5 }),
    correct: { status: 400, documents: [BLOCKTXS_NEGATIVE] },
    defect: { status: 400, documents: [BLOCKTXS_NEGATIVE, EMPTY_RESULT] },
  }],
  '/v1/query/allblocktxs': [{
    name: 'negative height',
    defectId: 'PC-ALLBLOCKTXS-ERROR-DOUBLE-BODY',
    body: () => ({ height: -5 }),
    correct: { status: 400, documents: [ALLBLOCKTXS_NEGATIVE] },
    defect: { status: 400, documents: [ALLBLOCKTXS_NEGATIVE, EMPTY_RESULT] },
  }],
};

test.describe('error contract', () => {
  for (const [route, cases] of Object.entries(CONTRACT)) {
    test(`POST ${route} answers bad input with its documented error`, async ({ network, rawRpc }) => {
      for (const c of cases) {
        await test.step(c.name, async () => {
          const res = await rawRpc.post(network.node(1).rpcUrl, route, c.body(network));
          const want = c.expect(network);
          expect.soft(res.status, `${route} ${c.name}: status`).toBe(want.status);
          expect.soft(res.data, `${route} ${c.name}: body`).toEqual(want.body);
        });
      }
      // A tracked defect is reached only after every other case answered as documented: it must
      // not turn a new regression of this route into an expected failure.
      expect(test.info().errors.map((e) => e.message), `${route}: every documented case answered as documented`).toEqual([]);
      for (const d of DEFECTS[route] ?? []) {
        const res = await test.step(d.name, () => rawRpc.post(network.node(1).rpcUrl, route, d.body()));
        await expectUnlessKnownDefect(d.defectId, { status: res.status, documents: jsonDocuments(res.data) }, { correct: d.correct, defect: d.defect }, network);
      }
    });
  }

  test('every POST route refuses GET with 405, and GET /v1 refuses POST', async ({ network, rawRpc }) => {
    const url = network.node(1).rpcUrl;
    for (const route of Object.keys(CONTRACT)) {
      const res = await rawRpc.get(url, route);
      expect.soft(res.status, `GET ${route}`).toBe(405);
    }
    expect((await rawRpc.get(url, '/v1')).status, 'GET /v1 is served').toBe(200);
    expect((await rawRpc.post(url, '/v1', {})).status, 'POST /v1').toBe(405);
  });

  test('an unknown path under /v1 is answered 404, to GET and to POST', async ({ network, rawRpc }) => {
    const url = network.node(1).rpcUrl;
    expect((await rawRpc.get(url, '/v1/no-such-route')).status, 'GET').toBe(404);
    expect((await rawRpc.post(url, '/v1/no-such-route', {})).status, 'POST').toBe(404);
  });
});
