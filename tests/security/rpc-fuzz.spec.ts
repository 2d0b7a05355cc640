/**
 * Property-based hardening of every always-on RPC route: fast-check generates hostile bodies
 * (wrong types, huge numbers, deep nesting, unicode, malformed JSON, multi-megabyte bodies) from a
 * fixed seed, bounded in count and time. Afterwards every node must be alive, making blocks and on
 * one chain. Any 5xx, hang or dropped connection is a finding, saved with its input so it replays.
 * FUZZ_CASES (default 10000) and FUZZ_SEED (default 4242) tune a run.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import axios from 'axios';
import fc from 'fast-check';
import { test, expect } from '../../fixtures/pocket';
import { attachJson } from '../../fixtures/allure';
import { expectOneChain } from '../../fixtures/consensus';
import { routesOfModule } from '../../network/rpc-routes';
import { PROJECT_ROOT } from '../../network/settings';
import { SECURITY_FINDING } from '../../reports/categories';

const CASES = Number(process.env.FUZZ_CASES || 10_000);
const SEED = Number(process.env.FUZZ_SEED || 4242);
const CONCURRENCY = 8;
const TIMEOUT_MS = 10_000;
const OUT_DIR = path.join(PROJECT_ROOT, 'reports', 'security');

const hostileScalar = fc.oneof(
  fc.integer(),
  fc.constantFrom(-1, 0, 2 ** 53, -(2 ** 63), 2 ** 64, 1e308, Number.MIN_VALUE),
  fc.bigInt({ min: -(2n ** 200n), max: 2n ** 200n }).map((b) => b.toString()),
  fc.double(),
  fc.string({ unit: 'binary', maxLength: 64 }),
  fc.string({ maxLength: 4096 }),
  fc.constantFrom('', 'null', '0x', 'ab'.repeat(20), 'zz'.repeat(32), '../../etc/passwd', '%00', '{"a":', '\u202e', '💥'.repeat(50)),
  fc.boolean(),
  fc.constant(null),
);
const FIELDS = ['height', 'address', 'page', 'per_page', 'hash', 'prove', 'received', 'order', 'key', 'opts', 'app_public_key', 'chain', 'session_height', 'raw_hex_bytes', 'payload', 'meta', 'proof', 'relay_network_id', 'majority_responses', 'minority_response'];
const hostileObject = fc.dictionary(fc.constantFrom(...FIELDS), fc.oneof(hostileScalar, fc.jsonValue({ maxDepth: 4 })), { maxKeys: 6 });
const body = fc.oneof(
  { weight: 5, arbitrary: hostileObject.map((o) => JSON.stringify(o)) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 6 }).map((v) => JSON.stringify(v)) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 512 }) },
  { weight: 1, arbitrary: fc.integer({ min: 50, max: 5000 }).map((d) => '['.repeat(d) + ']'.repeat(d)) },
);

interface Finding { route: string; kind: '5xx' | 'hang' | 'connection'; status?: number; error?: string; inputFile: string }

test('every route survives hostile bodies; afterwards the network is alive and on one chain @critical', async ({ startNetwork }) => {
  test.setTimeout(600_000);
  const net = await startNetwork((b) => b.withNodes(4).withApps(1).withAccounts(1).withFeatures());
  test.skip(!net.image.core, 'a user-supplied image has no router source to read the routes from');
  const routes = routesOfModule(net.image.core!.moduleDir).filter((r) => r.method === 'POST' && r.gate === 'always' && r.path !== '/v1/private/stop');
  const url = net.node(1).rpcUrl;
  const perRoute = Math.max(1, Math.floor(CASES / routes.length));
  const counts: Record<string, number> = {};
  const findings: Finding[] = [];
  fs.mkdirSync(path.join(OUT_DIR, 'fuzz-findings'), { recursive: true });

  const send = async (route: string, data: string) => {
    counts[route] = (counts[route] ?? 0) + 1;
    try {
      const res = await axios.post(`${url}${route}`, data, { timeout: TIMEOUT_MS, validateStatus: () => true, headers: { 'content-type': 'application/json' }, transformRequest: [(d) => d], maxBodyLength: Infinity });
      if (res.status >= 500) return { kind: '5xx' as const, status: res.status };
    } catch (err) {
      const e = err as { code?: string; message: string };
      return { kind: e.code === 'ECONNABORTED' ? ('hang' as const) : ('connection' as const), error: `${e.code ?? ''} ${e.message}`.trim() };
    }
    return undefined;
  };
  const record = (route: string, data: string, problem: Omit<Finding, 'route' | 'inputFile'>) => {
    const inputFile = path.join(OUT_DIR, 'fuzz-findings', `${findings.length + 1}.json`);
    fs.writeFileSync(inputFile, JSON.stringify({ route, seed: SEED, body: data.length > 100_000 ? `${data.slice(0, 1000)}… (${data.length} chars)` : data, ...problem }, null, 2));
    findings.push({ route, ...problem, inputFile: path.relative(PROJECT_ROOT, inputFile) });
  };

  await test.step(`${perRoute * routes.length} generated bodies over ${routes.length} routes (seed ${SEED})`, async () => {
    const work: Array<[string, string]> = [];
    routes.forEach((r, i) => fc.sample(body, { seed: SEED + i, numRuns: perRoute }).forEach((b) => work.push([r.path, b])));
    let next = 0;
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
      while (next < work.length) {
        const [route, data] = work[next++];
        const problem = await send(route, data);
        if (problem) record(route, data, problem);
      }
    }));
  });

  await test.step('oversize bodies (2 MB and 8 MB) on a query, the relay and the rawtx routes', async () => {
    for (const size of [2 * 1024 * 1024, 8 * 1024 * 1024]) {
      for (const route of ['/v1/query/height', '/v1/client/relay', '/v1/client/rawtx']) {
        const data = JSON.stringify({ address: 'a'.repeat(size) });
        const problem = await send(route, data);
        if (problem) record(route, data, problem);
      }
    }
  });

  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  const report = { seed: SEED, cases: total, perRoute: counts, findings };
  fs.writeFileSync(path.join(OUT_DIR, 'fuzz.json'), JSON.stringify(report, null, 2));
  await attachJson('reports/security/fuzz.json', report);

  await test.step('every node is alive, makes blocks and agrees on one chain', async () => {
    for (const node of net.nodes) expect(await node.state(), `${SECURITY_FINDING} ${node.name} died during the fuzz run`).toBe('running');
    await expectOneChain(net, (await net.height()) + 2);
  });
  expect(total, 'every generated body and the 6 oversize bodies were sent').toBe(perRoute * routes.length + 6);
  expect(findings, `${SECURITY_FINDING} ${findings.length} fuzz finding(s); inputs in reports/security/fuzz-findings/`).toEqual([]);
});
