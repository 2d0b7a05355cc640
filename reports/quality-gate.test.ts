import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { judge, outcomes, readResults } from './quality-gate';
import { GATE_POLICY } from './quality-gate.config';
import { defectMarker, FIXED_DEFECT_LABEL, knownDefects, KNOWN_DEFECT_LABEL } from './known-defects';
import { expectedFromList } from './expected-tests';
import { CHAIN_LAW_LABEL } from '../fixtures/chain-audit';

const result = (name: string, status: string, stop: number, epic = 'Smoke', extra: Record<string, unknown> = {}) => ({
  name, fullName: name, status, historyId: name, stop, labels: [{ name: 'epic', value: epic }], ...extra,
});
const policy = { ...GATE_POLICY, minExecutedPerArea: { smoke: 1 } };

test('a retry that passed makes the test flaky, listed but not blocking', () => {
  const v = judge(outcomes([result('t', 'failed', 1), result('t', 'passed', 2)] as never), policy, ['smoke']);
  assert.equal(v.pass, true);
  assert.deepEqual(v.flaky, ['t']);
  assert.equal(judge(outcomes([result('t', 'failed', 1), result('t', 'passed', 2)] as never), { ...policy, flaky: 'fail' }, ['smoke']).pass, false);
});

test('any failure or broken test blocks', () => {
  assert.equal(judge(outcomes([result('a', 'passed', 1), result('b', 'failed', 1)] as never), policy, ['smoke']).pass, false);
  assert.equal(judge(outcomes([result('a', 'passed', 1), result('b', 'broken', 1)] as never), policy, ['smoke']).pass, false);
});

test('an area that executed fewer tests than its minimum blocks; skipped tests do not count', () => {
  const v = judge(outcomes([result('a', 'skipped', 1, 'RPC')] as never), { ...policy, minExecutedPerArea: { rpc: 1 } }, ['rpc']);
  assert.equal(v.pass, false);
  assert.match(v.reasons.join(), /area rpc executed 0/);
});

const DEFECT = knownDefects()[0].id;
const epic = { name: 'epic', value: 'Smoke' };
/** What allure-playwright writes for a test that reached a tracked defect: an expected failure, recorded as passed. */
const reached = (name: string, id: string, message: string) =>
  result(name, 'passed', 1, 'Smoke', { labels: [epic, { name: KNOWN_DEFECT_LABEL, value: id }], statusDetails: { message } });

test('a tracked defect reached with its marker is listed as a failure and does not block', () => {
  const v = judge(outcomes([reached('k', DEFECT, `Error: ${defectMarker(DEFECT)} observed its signature`), result('a', 'passed', 1)] as never), policy, ['smoke']);
  assert.equal(v.pass, true, v.reasons.join());
  assert.deepEqual(v.knownUpstream, [`${DEFECT}: k`]);
  assert.equal(v.totals.failed, 1, 'it is counted as failed, never as passed');
});

test('a known-defect marker without its label, with an untracked id, or naming another defect blocks', () => {
  const bare = result('u', 'failed', 1, 'Smoke', { statusDetails: { message: `${defectMarker(DEFECT)} x` } });
  assert.equal(judge(outcomes([bare] as never), policy, ['smoke']).pass, false);
  assert.equal(judge(outcomes([reached('n', 'PC-NOT-TRACKED', `${defectMarker('PC-NOT-TRACKED')} x`)] as never), policy, ['smoke']).pass, false);
  const other = knownDefects()[1]?.id ?? 'PC-OTHER';
  assert.equal(judge(outcomes([reached('o', DEFECT, `${defectMarker(other)} x`)] as never), policy, ['smoke']).pass, false);
});

test('a chain-law violation blocks, even on a tracked defect\'s expected failure or a retry that passed', () => {
  const law = { name: CHAIN_LAW_LABEL, value: 'supply.conservation' };
  const onDefect = result('k', 'passed', 1, 'Smoke', { labels: [epic, { name: KNOWN_DEFECT_LABEL, value: DEFECT }, law], statusDetails: { message: `${defectMarker(DEFECT)} x` } });
  const v = judge(outcomes([onDefect] as never), policy, ['smoke']);
  assert.equal(v.pass, false);
  assert.match(v.reasons.join(), /chain law violated \(supply.conservation\) on the network of: k/);
  const retried = judge(outcomes([result('r', 'failed', 1, 'Smoke', { labels: [epic, law] }), result('r', 'passed', 2)] as never), policy, ['smoke']);
  assert.equal(retried.pass, false);
});

test('a tracked test that observed the correct behaviour blocks with "fixed upstream?"', () => {
  const fixed = result('f', 'passed', 1, 'Smoke', { labels: [epic, { name: FIXED_DEFECT_LABEL, value: DEFECT }] });
  const v = judge(outcomes([fixed] as never), policy, ['smoke']);
  assert.equal(v.pass, false);
  assert.match(v.reasons.join(), new RegExp(`fixed upstream\\? ${DEFECT}`));
});

test('a listed test without a result blocks (a lost shard or a killed worker); a matrix expects one per version', () => {
  const expected = [{ name: 'a', area: 'smoke', count: 1 }, { name: 'b', area: 'smoke', count: 1 }];
  const v = judge(outcomes([result('a', 'passed', 1)] as never), policy, ['smoke'], { expected });
  assert.equal(v.pass, false);
  assert.deepEqual(v.missing, ['b']);
  assert.match(v.reasons.join(), /area smoke executed 1 test\(s\), fewer than its minimum of 2/);
  assert.deepEqual(judge(outcomes([result('a', 'passed', 1)] as never), policy, ['smoke'], { expected: [{ name: 'a', area: 'smoke', count: 2 }] }).missing, ['a']);
});

test('a skip blocks unless its reason is an allowed opt-in', () => {
  const skipped = (reason: string) => result('s', 'skipped', 1, 'Smoke', { statusDetails: { message: reason } });
  assert.equal(judge(outcomes([result('a', 'passed', 1), skipped('flaky, skip for now')] as never), policy, ['smoke']).pass, false);
  assert.equal(judge(outcomes([result('a', 'passed', 1), skipped('network partitions run with POCKET_E2E_PARTITIONS=1')] as never), policy, ['smoke']).pass, true);
});

test('an error outside the tests blocks', () => {
  const v = judge(outcomes([result('a', 'passed', 1)] as never), policy, ['smoke'], { globalErrors: ['Error: worker teardown timed out'] });
  assert.equal(v.pass, false);
  assert.match(v.reasons.join(), /outside the tests: Error: worker teardown/);
});

test('the synthetic route-coverage result is not counted as an executed test of its area', () => {
  const coverage = result('rpc/route-coverage', 'passed', 1, 'RPC', { labels: [{ name: 'epic', value: 'RPC' }, { name: 'synthetic', value: 'route-coverage' }] });
  const v = judge(outcomes([coverage] as never), { ...policy, minExecutedPerArea: { rpc: 1 } }, ['rpc']);
  assert.equal(v.perArea.rpc?.executed ?? 0, 0);
  assert.equal(v.pass, false);
});

test('the expected list names tests the way allure-playwright names results', () => {
  const list = { suites: [{ title: 'smoke/a.spec.ts', specs: [{ title: 'top', tests: [{}] }], suites: [{ title: 'group', specs: [{ title: 'inner @critical', tests: [{}] }] }] }] };
  assert.deepEqual(expectedFromList(list, 2), [
    { name: 'smoke/a.spec.ts › top', area: 'smoke', count: 2 },
    { name: 'smoke/a.spec.ts › group › inner @critical', area: 'smoke', count: 2 },
  ]);
});

test('an empty or missing results directory never passes', () => {
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'gate-'));
  assert.throws(() => readResults(empty), /no test results/);
  assert.throws(() => readResults(path.join(empty, 'missing')), /no results directory/);
  assert.equal(judge([], policy, []).pass, false);
});
