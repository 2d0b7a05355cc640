import { test } from 'node:test';
import assert from 'node:assert/strict';
import { merge, tally } from './flaky';

const suite = (status: string, expectedStatus = 'passed') => [{ title: 'a.spec.ts', specs: [{ title: 't', file: 'a.spec.ts', tests: [{ expectedStatus, results: [{ status }] }] }] }];

test('runs add up per test: a test that failed in one of three runs is flaky, with its failure counted', () => {
  const rows = merge([tally(suite('passed')), tally(suite('failed')), tally(suite('passed'))]);
  assert.deepEqual(rows, [{ test: 't', runs: 3, passed: 2, failed: 1, flaky: true }]);
});

test('an expected failure (a tracked upstream defect) counts as passed; a skip is not a run', () => {
  assert.deepEqual(merge([tally(suite('failed', 'failed')), tally(suite('skipped'))]), [{ test: 't', runs: 1, passed: 1, failed: 0, flaky: false }]);
});
