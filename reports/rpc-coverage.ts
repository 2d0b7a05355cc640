/**
 * RPC route coverage: which tests exercised which route of the version under test, positively
 * (a 2xx answer) and negatively (an error answer). Tests record their exchanges (fixtures write
 * one file per test into test-results/rpc-coverage/); this module merges them with the route
 * list read from the router source, writes reports/rpc-coverage.json, and adds a test result
 * "every route has a positive and a negative test" to the Allure results, so an uncovered route
 * fails the RPC area in the report and the gate.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { routeKey, type RpcRoute } from '../network/rpc-routes';
import { PROJECT_ROOT } from '../network/settings';
import { RESULTS_DIR } from './environment';

/** Marks a result the run computed rather than a test it ran: never counted as an executed test. */
export const SYNTHETIC_LABEL = 'synthetic';
export const COVERAGE_DIR = path.join(PROJECT_ROOT, 'test-results', 'rpc-coverage');
export const ROUTES_FILE = path.join(COVERAGE_DIR, 'routes.json');

export interface TestRouteRecord {
  title: string;
  status: string;
  exchanges: Array<{ method: string; route: string; outcome: 'positive' | 'negative' }>;
}

export interface RouteCoverage {
  gate: string;
  positive: string[];
  negative: string[];
  status: 'passed' | 'failed' | 'uncovered';
}

/** Strips the query string and normalises a route as the router names it. */
export function normaliseRoute(route: string): string {
  return route.split('?')[0].replace(/\/+$/, '') || '/';
}

/**
 * A positive test calls the route as registered and gets a 2xx; a negative test gets an error
 * from its path, whatever the method (a wrong method is a negative case of that route too).
 */
export function computeCoverage(routes: RpcRoute[], records: TestRouteRecord[]): Record<string, RouteCoverage> {
  const out: Record<string, RouteCoverage> = {};
  for (const r of routes) out[routeKey(r)] = { gate: r.gate, positive: [], negative: [], status: 'uncovered' };
  const failedBy: Record<string, boolean> = {};
  const add = (key: string, outcome: 'positive' | 'negative', rec: TestRouteRecord) => {
    const entry = out[key];
    if (!entry) return;
    // A test that failed proved nothing about the route: it is noted, never counted as coverage.
    if (rec.status !== 'passed') { failedBy[key] = true; return; }
    if (!entry[outcome].includes(rec.title)) entry[outcome].push(rec.title);
  };
  for (const rec of records) {
    for (const ex of rec.exchanges) {
      const path = normaliseRoute(ex.route);
      if (ex.outcome === 'positive') add(`${ex.method} ${path}`, 'positive', rec);
      else for (const r of routes) if (r.path === path) add(routeKey(r), 'negative', rec);
    }
  }
  for (const [key, entry] of Object.entries(out)) {
    if (!entry.positive.length || !entry.negative.length) entry.status = 'uncovered';
    else entry.status = failedBy[key] ? 'failed' : 'passed';
  }
  return out;
}

export function readRecords(dir = COVERAGE_DIR): TestRouteRecord[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter((f) => f.startsWith('test-')).map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')));
}

/** Writes reports/rpc-coverage.json and an Allure result; returns the uncovered route keys. */
export function writeCoverage(): string[] | undefined {
  if (!fs.existsSync(ROUTES_FILE)) return undefined;
  const routes = JSON.parse(fs.readFileSync(ROUTES_FILE, 'utf8')) as RpcRoute[];
  const coverage = computeCoverage(routes, readRecords());
  fs.writeFileSync(path.join(PROJECT_ROOT, 'reports', 'rpc-coverage.json'), JSON.stringify(coverage, null, 2));
  const uncovered = Object.entries(coverage).filter(([, c]) => c.status === 'uncovered').map(([k, c]) => `${k} (${c.positive.length ? '' : 'no positive'}${!c.positive.length && !c.negative.length ? ', ' : ''}${c.negative.length ? '' : 'no negative'} test${c.gate === 'always' ? '' : `; needs ${c.gate}`})`);
  const now = Date.now();
  const table = Object.entries(coverage).map(([k, c]) => `${c.status.padEnd(9)} ${k}  +${c.positive.length} -${c.negative.length}${c.gate === 'always' ? '' : `  [${c.gate}]`}`).join('\n');
  const uuid = crypto.randomUUID();
  const attachment = `${crypto.randomUUID()}-attachment.json`;
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  fs.writeFileSync(path.join(RESULTS_DIR, attachment), JSON.stringify(coverage, null, 2));
  const result = {
    uuid,
    historyId: 'rpc-route-coverage',
    testCaseId: 'rpc-route-coverage',
    name: 'every RPC route of the version under test has a positive and a negative test',
    fullName: 'rpc/route-coverage › every RPC route of the version under test has a positive and a negative test',
    status: uncovered.length ? 'failed' : 'passed',
    statusDetails: uncovered.length ? { message: `${uncovered.length} route(s) without a positive and a negative test:\n${uncovered.join('\n')}` } : {},
    stage: 'finished',
    start: now,
    stop: now,
    labels: [
      { name: 'epic', value: 'RPC' },
      { name: 'feature', value: 'Route coverage' },
      { name: 'severity', value: 'critical' },
      { name: 'tag', value: 'rpc' },
      { name: SYNTHETIC_LABEL, value: 'route-coverage' },
    ],
    steps: [],
    attachments: [{ name: 'reports/rpc-coverage.json', source: attachment, type: 'application/json' }],
    parameters: [],
    description: `Routes are read from the router of the pocket-core module under test.\n\n\`\`\`\n${table}\n\`\`\``,
  };
  fs.writeFileSync(path.join(RESULTS_DIR, `${uuid}-result.json`), JSON.stringify(result, null, 2));
  return uncovered;
}
