/**
 * The tests a run must report: what `playwright test --list` selects for the same arguments
 * (paths, --grep, --shard), named the way allure-playwright names a result's fullName
 * (`<file under tests/> › <describe…> › <title>`). The gate compares results with this list, so a
 * lost shard, a killed worker or a test that never ran blocks instead of shrinking the run.
 */
import { spawnSync } from 'node:child_process';
import { PROJECT_ROOT } from '../network/settings';

export interface ExpectedTest {
  name: string;
  area: string;
  /** Results expected under this name: one per project and per pocket-core version of a matrix. */
  count: number;
}

interface ListSuite {
  title: string;
  suites?: ListSuite[];
  specs?: Array<{ title: string; tests: unknown[] }>;
}

export function expectedFromList(report: { suites?: ListSuite[] }, versions = 1): ExpectedTest[] {
  const out: ExpectedTest[] = [];
  const walk = (suite: ListSuite, path: string[]) => {
    for (const spec of suite.specs ?? []) {
      out.push({ name: [...path, spec.title].join(' › '), area: path[0].split('/')[0], count: spec.tests.length * versions });
    }
    for (const child of suite.suites ?? []) walk(child, [...path, child.title]);
  };
  for (const file of report.suites ?? []) walk(file, [file.title]);
  return out;
}

/** Runs `playwright test --list` with the run's own arguments (a reporter flag among them is dropped). */
export function listExpectedTests(pwArgs: string[], versions = 1): ExpectedTest[] {
  const args = pwArgs.filter((a) => !a.startsWith('--reporter'));
  const res = spawnSync('npx', ['playwright', 'test', '--list', '--reporter=json', ...args], { cwd: PROJECT_ROOT, encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  if (res.status !== 0) throw new Error(`playwright test --list failed (exit ${res.status}): ${(res.stderr || res.stdout).trim().split('\n').pop()}`);
  return expectedFromList(JSON.parse(res.stdout.slice(res.stdout.indexOf('{'))), versions);
}
