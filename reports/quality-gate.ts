/**
 * Applies the gate to a results directory and prints the verdict. Usable alone:
 *   npx tsx reports/quality-gate.ts [allure-results] [--areas smoke,rpc]
 * Exit 0 = deployable, 1 = blocked. Also writes reports/gate-verdict.{json,md}.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AREAS, type Area } from '../fixtures/allure';
import { SECURITY_FINDING } from './categories';
import { FIXED_DEFECT_LABEL, knownDefects, KNOWN_DEFECT_LABEL, leadsWithMarker } from './known-defects';
import type { ExpectedTest } from './expected-tests';
import { SYNTHETIC_LABEL } from './rpc-coverage';
import { GATE_POLICY, type GatePolicy } from './quality-gate.config';
import { RESULTS_DIR } from './environment';
import { PROJECT_ROOT } from '../network/settings';
import { CHAIN_LAW_LABEL } from '../fixtures/chain-audit';

type Status = 'passed' | 'failed' | 'broken' | 'skipped' | 'unknown';

interface AllureResult {
  name: string;
  fullName?: string;
  status: Status;
  historyId?: string;
  testCaseId?: string;
  stop?: number;
  labels?: Array<{ name: string; value: string }>;
  statusDetails?: { message?: string };
}

export interface TestOutcome {
  name: string;
  area: string;
  status: Status;
  attempts: number;
  flaky: boolean;
  /** The tracked defect this test reached with exactly its signature (reports/known-defects.json). */
  knownUpstream: boolean;
  knownDefect?: string;
  /** A tracked defect this test found fixed: blocks until its entry is removed. */
  fixedDefect?: string;
  securityFinding: boolean;
  /** Chain laws the auditor found broken on this test's networks, in any attempt: blocks whatever the status. */
  chainLaws: string[];
  /** Computed by the run (route coverage), not a test: not counted among an area's executed tests. */
  synthetic: boolean;
  message?: string;
}

/** What the run itself reported beyond test results. */
export interface RunFacts {
  /** The tests Playwright lists for the same selection (and shard): each must have a result. */
  expected?: ExpectedTest[];
  /** Errors outside any test (global setup/teardown, worker teardown, a crashed worker). */
  globalErrors?: string[];
}

export interface Verdict {
  pass: boolean;
  reasons: string[];
  totals: Record<Status, number> & { executed: number; flaky: number };
  perArea: Record<string, { executed: number; passed: number; failed: number; broken: number; skipped: number }>;
  flaky: string[];
  knownUpstream: string[];
  fixedUpstream: string[];
  missing: string[];
  securityFindings: string[];
  failures: Array<{ name: string; status: Status; message?: string }>;
}

const epicToArea = Object.fromEntries(Object.entries(AREAS).map(([k, v]) => [v, k])) as Record<string, Area>;

export function readResults(dir: string): AllureResult[] {
  if (!fs.existsSync(dir)) throw new Error(`no results directory at ${dir}: the test run produced nothing (did it start?)`);
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('-result.json'));
  if (!files.length) throw new Error(`no test results in ${dir}: the test run produced nothing (did it start?)`);
  return files.map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as AllureResult);
}

/**
 * A test that reached a tracked defect is an expected failure for Playwright, which
 * allure-playwright records as passed; the report must show it as what it is, a failure (matched
 * to its known issue by allurerc's resolutions). Rewrites those results' status to failed before
 * the report is generated, as the gate counts them.
 */
export function markKnownDefectsFailed(dir: string): number {
  let marked = 0;
  for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('-result.json'))) {
    const file = path.join(dir, f);
    const r = JSON.parse(fs.readFileSync(file, 'utf8')) as AllureResult;
    const defect = r.labels?.find((l) => l.name === KNOWN_DEFECT_LABEL)?.value;
    if (r.status !== 'passed' || !defect) continue;
    fs.writeFileSync(file, JSON.stringify({ ...r, status: 'failed' }));
    marked++;
  }
  return marked;
}

/** Collapses retries: the last attempt decides; an earlier non-pass followed by a pass is flaky. */
export function outcomes(results: AllureResult[]): TestOutcome[] {
  const byTest = new Map<string, AllureResult[]>();
  for (const r of results) {
    const key = r.historyId ?? r.testCaseId ?? r.fullName ?? r.name;
    byTest.set(key, [...(byTest.get(key) ?? []), r]);
  }
  return [...byTest.values()].map((attempts) => {
    attempts.sort((a, b) => (a.stop ?? 0) - (b.stop ?? 0));
    const last = attempts[attempts.length - 1];
    const label = (n: string) => last.labels?.filter((l) => l.name === n).map((l) => l.value) ?? [];
    const message = last.statusDetails?.message ?? '';
    const defect = label(KNOWN_DEFECT_LABEL)[0];
    const tracked = new Set(knownDefects().map((d) => d.id));
    // Tolerated only as itself: a tracked id, its label, and its marker leading the failure message.
    const knownUpstream = Boolean(defect && tracked.has(defect) && leadsWithMarker(message, defect));
    return {
      name: last.fullName ?? last.name,
      area: epicToArea[label('epic')[0]] ?? 'unknown',
      // A defect label means the helper declared an expected failure (no retry): it failed all the
      // same, and one whose marker does not check out is an ordinary failure.
      status: defect ? 'failed' : last.status,
      attempts: attempts.length,
      flaky: last.status === 'passed' && !knownUpstream && attempts.some((a) => a.status !== 'passed'),
      knownUpstream,
      knownDefect: defect,
      fixedDefect: label(FIXED_DEFECT_LABEL)[0],
      securityFinding: message.includes(SECURITY_FINDING),
      chainLaws: [...new Set(attempts.flatMap((a) => a.labels?.filter((l) => l.name === CHAIN_LAW_LABEL).map((l) => l.value) ?? []))],
      synthetic: label(SYNTHETIC_LABEL).length > 0,
      message: message || undefined,
    };
  });
}

export function judge(tests: TestOutcome[], policy: GatePolicy, areas: string[], run: RunFacts = {}): Verdict {
  const totals = { passed: 0, failed: 0, broken: 0, skipped: 0, unknown: 0, executed: 0, flaky: 0 };
  const perArea: Verdict['perArea'] = {};
  for (const t of tests) {
    totals[t.status]++;
    if (t.synthetic) continue; // route coverage: judged on its status, never counted as a test that ran
    const a = (perArea[t.area] ??= { executed: 0, passed: 0, failed: 0, broken: 0, skipped: 0 });
    if (t.status !== 'skipped' && t.status !== 'unknown') {
      totals.executed++;
      a.executed++;
      a[t.status]++;
    } else if (t.status === 'skipped') a.skipped++;
    if (t.flaky) totals.flaky++;
  }
  const tolerated = (t: TestOutcome) => t.knownUpstream && policy.knownUpstream === 'list' && !t.chainLaws.length;
  const blocking = tests.filter((t) => ((t.status === 'failed' || t.status === 'broken') && !tolerated(t)) || t.chainLaws.length);
  const reasons: string[] = [];
  const failed = blocking.filter((t) => t.status === 'failed').length;
  const broken = blocking.filter((t) => t.status === 'broken').length;
  if (failed > policy.maxFailures) reasons.push(`${failed} failed test(s) (max ${policy.maxFailures})`);
  if (broken > policy.maxBroken) reasons.push(`${broken} broken test(s) (max ${policy.maxBroken})`);
  for (const t of tests.filter((x) => x.chainLaws.length)) reasons.push(`chain law violated (${t.chainLaws.join(', ')}) on the network of: ${t.name}`);
  if (totals.unknown) reasons.push(`${totals.unknown} test(s) with unknown status (interrupted run?)`);
  for (const area of areas) {
    const min = run.expected ? listedExecutable(run.expected, area, tests, policy) : (policy.minExecutedPerArea[area as Area] ?? 1);
    const ran = perArea[area]?.executed ?? 0;
    if (ran < min) reasons.push(`area ${area} executed ${ran} test(s), fewer than its minimum of ${min}${run.expected ? ' (its listed tests)' : ''}`);
  }
  const missing = run.expected ? missingTests(run.expected, tests) : [];
  if (missing.length) reasons.push(`${missing.length} listed test(s) produced no result (a lost shard, a killed worker?): ${missing.slice(0, 5).join('; ')}${missing.length > 5 ? '; …' : ''}`);
  const badSkips = tests.filter((t) => t.status === 'skipped' && !policy.allowedSkips.some((r) => r.test(t.message ?? '')));
  if (badSkips.length) reasons.push(`${badSkips.length} test(s) skipped without an allowed reason: ${badSkips.map((t) => t.name).join('; ')}`);
  for (const e of run.globalErrors ?? []) reasons.push(`an error outside the tests: ${e.split('\n')[0]}`);
  const fixedUpstream = tests.filter((t) => t.fixedDefect && t.status === 'passed').map((t) => `${t.fixedDefect} (${t.name})`);
  for (const f of fixedUpstream) reasons.push(`fixed upstream? ${f} showed the correct behaviour: remove the entry from reports/known-defects.json and the marker from the test`);
  const flaky = tests.filter((t) => t.flaky).map((t) => t.name);
  if (flaky.length && policy.flaky === 'fail') reasons.push(`${flaky.length} flaky test(s) and GATE_FLAKY=fail`);
  if (totals.executed === 0) reasons.push('no test was executed');
  return {
    pass: reasons.length === 0,
    reasons,
    totals,
    perArea,
    flaky,
    knownUpstream: tests.filter((t) => t.knownUpstream).map((t) => `${t.knownDefect}: ${t.name}`),
    fixedUpstream,
    missing,
    securityFindings: tests.filter((t) => t.securityFinding && t.status !== 'passed').map((t) => t.name),
    failures: blocking.map((t) => ({ name: t.name, status: t.status, message: t.message?.split('\n')[0] })),
  };
}

/** Areas a run selected: those under the given test paths (all areas with spec files when none). */
export function selectedAreas(testPaths: string[]): string[] {
  const testsDir = path.join(PROJECT_ROOT, 'tests');
  const present = Object.keys(AREAS).filter((a) => {
    const dir = path.join(testsDir, a);
    return fs.existsSync(dir) && fs.readdirSync(dir, { recursive: true }).some((f) => String(f).endsWith('.spec.ts'));
  });
  if (!testPaths.length) return present;
  return present.filter((a) => testPaths.some((p) => {
    const rel = path.relative(testsDir, path.resolve(PROJECT_ROOT, p));
    return rel === '' || rel === a || rel.startsWith(`${a}${path.sep}`) || (!rel.startsWith('..') && a.startsWith(rel));
  }));
}

export function renderVerdict(v: Verdict): string {
  const lines = [`# Quality gate: ${v.pass ? 'PASS (deployable)' : 'FAIL (blocks the deploy)'}`, ''];
  if (v.reasons.length) lines.push('Why it blocks:', ...v.reasons.map((r) => `- ${r}`), '');
  lines.push('| area | executed | passed | failed | broken | skipped |', '|---|---|---|---|---|---|');
  for (const [area, a] of Object.entries(v.perArea).sort()) lines.push(`| ${area} | ${a.executed} | ${a.passed} | ${a.failed} | ${a.broken} | ${a.skipped} |`);
  const list = (title: string, items: string[]) => { if (items.length) lines.push('', `${title}:`, ...items.map((i) => `- ${i}`)); };
  list('Failures', v.failures.map((f) => `${f.status}: ${f.name}${f.message ? ` — ${f.message}` : ''}`));
  list('Security findings', v.securityFindings);
  list('Flaky (failed, then passed on retry)', v.flaky);
  list('Fixed upstream? (blocks until the marker is removed)', v.fixedUpstream);
  list('Listed but never reported', v.missing);
  list('Known upstream issues (tracked, not blocking)', v.knownUpstream);
  return lines.join('\n') + '\n';
}

/** Listed tests of an area, less those that ran and skipped for an allowed reason (opt-in suites). */
function listedExecutable(expected: ExpectedTest[], area: string, tests: TestOutcome[], policy: GatePolicy): number {
  const listed = expected.filter((e) => e.area === area).reduce((n, e) => n + e.count, 0);
  const allowedSkips = tests.filter((t) => t.area === area && t.status === 'skipped' && policy.allowedSkips.some((r) => r.test(t.message ?? ''))).length;
  return listed - allowedSkips;
}

/** Listed tests with fewer results than expected (a version matrix lists each test once per version). */
function missingTests(expected: ExpectedTest[], tests: TestOutcome[]): string[] {
  const seen = new Map<string, number>();
  for (const t of tests) seen.set(t.name, (seen.get(t.name) ?? 0) + 1);
  return expected.filter((e) => (seen.get(e.name) ?? 0) < e.count).map((e) => e.name);
}

export function applyGate(resultsDir: string, areas: string[], policy = GATE_POLICY, run: RunFacts = {}): Verdict {
  let verdict: Verdict;
  try {
    verdict = judge(outcomes(readResults(resultsDir)), policy, areas, run);
  } catch (err) {
    verdict = { pass: false, reasons: [(err as Error).message], totals: { passed: 0, failed: 0, broken: 0, skipped: 0, unknown: 0, executed: 0, flaky: 0 }, perArea: {}, flaky: [], knownUpstream: [], fixedUpstream: [], missing: [], securityFindings: [], failures: [] };
  }
  writeVerdict(verdict);
  return verdict;
}

export function writeVerdict(verdict: Verdict): void {
  const out = path.join(PROJECT_ROOT, 'reports');
  fs.writeFileSync(path.join(out, 'gate-verdict.json'), JSON.stringify(verdict, null, 2));
  fs.writeFileSync(path.join(out, 'gate-verdict.md'), renderVerdict(verdict));
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const areasFlag = args.indexOf('--areas');
  const areas = areasFlag >= 0 ? args[areasFlag + 1].split(',') : selectedAreas([]);
  const dir = args.find((a, i) => !a.startsWith('--') && i !== areasFlag + 1) ?? RESULTS_DIR;
  const v = applyGate(path.resolve(dir), areas);
  process.stdout.write(renderVerdict(v));
  process.stdout.write(`\ngate: ${v.totals.passed} passed, ${v.totals.failed} failed, ${v.totals.skipped} skipped\n`);
  process.exit(v.pass ? 0 : 1);
}
