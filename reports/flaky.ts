/**
 * `npm run flaky -- [test paths] [--repeat N]`: runs the chosen suites N times in a row (N full
 * Playwright runs, no retries; default 3) and writes a flaky-test table: a test that both passed
 * and failed across runs is flaky. Output: reports/flaky/flaky.{json,md}, each run's JSON report,
 * each run's test output with the failed tests' node logs (run-N-results/, because Playwright clears
 * its output folder at the start of the next run), and summary.json (runs, tests, failures per
 * test, per-run and total wall time). Exit 1 if any test failed in any run.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PROJECT_ROOT } from '../network/settings';

interface JsonReportSuite {
  title: string;
  file?: string;
  suites?: JsonReportSuite[];
  specs?: Array<{ title: string; file: string; tests: Array<{ expectedStatus?: string; results: Array<{ status: string }> }> }>;
}

export interface FlakyRow {
  test: string;
  runs: number;
  passed: number;
  failed: number;
  flaky: boolean;
}

export function tally(suites: JsonReportSuite[]): FlakyRow[] {
  const rows = new Map<string, FlakyRow>();
  const walk = (s: JsonReportSuite, prefix: string[]) => {
    for (const spec of s.specs ?? []) {
      const name = [...prefix, spec.title].filter(Boolean).join(' › ');
      const row = rows.get(name) ?? { test: name, runs: 0, passed: 0, failed: 0, flaky: false };
      for (const t of spec.tests) for (const r of t.results) {
        if (r.status === 'skipped') continue;
        row.runs++;
        // A test that reached a tracked upstream defect is an expected failure: as intended.
        if (r.status === (t.expectedStatus ?? 'passed')) row.passed++; else row.failed++;
      }
      row.flaky = row.passed > 0 && row.failed > 0;
      rows.set(name, row);
    }
    for (const child of s.suites ?? []) walk(child, [...prefix, child.title]);
  };
  for (const s of suites) walk(s, []);
  return [...rows.values()].sort((a, b) => Number(b.flaky) - Number(a.flaky) || b.failed - a.failed);
}

interface RunFigure {
  run: number;
  exitCode: number | null;
  wallTimeMs: number;
  tests: number;
  failures: number;
  failed: string[];
}

/** One full Playwright pass (no retries) into its own JSON report: its rows, or why it gave none. */
function runOnce(paths: string[], run: number, outDir: string): { rows: FlakyRow[]; figure: RunFigure } {
  const jsonFile = path.join(outDir, `run-${run}.json`);
  const started = Date.now();
  const resultsDir = path.join(outDir, `run-${run}-results`);
  const res = spawnSync('npx', ['playwright', 'test', ...paths, '--retries=0', '--reporter=json', `--output=${resultsDir}`], {
    cwd: PROJECT_ROOT,
    stdio: ['ignore', fs.openSync(jsonFile, 'w'), 'inherit'],
  });
  let rows: FlakyRow[] = [];
  try {
    rows = tally((JSON.parse(fs.readFileSync(jsonFile, 'utf8')) as { suites: JsonReportSuite[] }).suites);
  } catch {
    console.error(`pocket-e2e: run ${run} wrote no JSON report (exit code ${res.status}): counted as a failed run`);
  }
  const failed = rows.filter((r) => r.failed > 0).map((r) => r.test);
  return { rows, figure: { run, exitCode: res.status, wallTimeMs: Date.now() - started, tests: rows.length, failures: failed.length + (rows.length ? 0 : 1), failed } };
}

/** Rows of several runs added up per test. */
export function merge(runs: FlakyRow[][]): FlakyRow[] {
  const byTest = new Map<string, FlakyRow>();
  for (const rows of runs) for (const r of rows) {
    const m = byTest.get(r.test) ?? { test: r.test, runs: 0, passed: 0, failed: 0, flaky: false };
    m.runs += r.runs;
    m.passed += r.passed;
    m.failed += r.failed;
    m.flaky = m.passed > 0 && m.failed > 0;
    byTest.set(r.test, m);
  }
  return [...byTest.values()].sort((a, b) => Number(b.flaky) - Number(a.flaky) || b.failed - a.failed);
}

/**
 * N consecutive full runs of the chosen suites (each a fresh Playwright run, fresh networks, no
 * retries), as a deploy would see them back to back.
 */
function main(): number {
  const argv = process.argv.slice(2);
  const i = argv.indexOf('--repeat');
  const repeat = i >= 0 ? Number(argv[i + 1]) : 3;
  if (!Number.isInteger(repeat) || repeat < 2) {
    console.error('pocket-e2e: --repeat needs a whole number ≥ 2, e.g. npm run flaky -- tests/smoke --repeat 5');
    return 1;
  }
  const paths = argv.filter((_, j) => j !== i && j !== i + 1);
  const outDir = path.join(PROJECT_ROOT, 'reports', 'flaky');
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.mkdirSync(outDir, { recursive: true });
  const started = Date.now();
  const perRun: RunFigure[] = [];
  const allRows: FlakyRow[][] = [];
  for (let run = 1; run <= repeat; run++) {
    console.log(`pocket-e2e: flaky run ${run} of ${repeat}: npx playwright test ${paths.join(' ')} --retries=0`);
    const { rows, figure } = runOnce(paths, run, outDir);
    allRows.push(rows);
    perRun.push(figure);
    console.log(`pocket-e2e: run ${run}: ${figure.tests} test(s), ${figure.failures} failure(s) in ${Math.round(figure.wallTimeMs / 1000)} s${figure.failed.length ? `: ${figure.failed.join('; ')} (node logs: reports/flaky/run-${run}-results/)` : ''}`);
  }
  const rows = merge(allRows);
  fs.writeFileSync(path.join(outDir, 'flaky.json'), JSON.stringify(rows, null, 2));
  const md = ['| test | runs | passed | failed | flaky |', '|---|---|---|---|---|', ...rows.filter((r) => r.failed > 0).map((r) => `| ${r.test} | ${r.runs} | ${r.passed} | ${r.failed} | ${r.flaky ? 'yes' : ''} |`)].join('\n');
  fs.writeFileSync(path.join(outDir, 'flaky.md'), md + '\n');
  const failing = rows.filter((r) => r.failed > 0);
  const summary = {
    runs: repeat,
    consecutive: true,
    selection: paths.length ? paths : ['(every area)'],
    tests: rows.length,
    failures: perRun.reduce((n, r) => n + r.failures, 0),
    failuresPerTest: Object.fromEntries(failing.map((r) => [r.test, r.failed])),
    flaky: rows.filter((r) => r.flaky).map((r) => r.test),
    perRun,
    wallTimeMs: Date.now() - started,
    machine: { cpus: os.cpus().length, workers: Number(process.env.PW_WORKERS || 2) },
  };
  fs.writeFileSync(path.join(outDir, 'summary.json'), JSON.stringify(summary, null, 2));
  if (failing.length) console.log(md);
  console.log(`\nflaky: ${summary.flaky.length} of ${rows.length} test(s) flaky, ${summary.failures} failure(s) over ${repeat} consecutive runs in ${Math.round(summary.wallTimeMs / 1000)} s (reports/flaky/summary.json)`);
  return summary.failures ? 1 : 0;
}

if (require.main === module) process.exit(main());
