import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { judge, outcomes, readResults } from './quality-gate';
import { GATE_POLICY } from './quality-gate.config';
import { KNOWN_UPSTREAM } from './categories';

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

test('a tagged known-upstream failure is listed, an untagged one with the marker still blocks', () => {
  const known = result('k', 'failed', 1, 'Smoke', { labels: [{ name: 'epic', value: 'Smoke' }, { name: 'tag', value: 'known-upstream' }], statusDetails: { message: `${KNOWN_UPSTREAM} bug` } });
  const v = judge(outcomes([known, result('a', 'passed', 1)] as never), policy, ['smoke']);
  assert.equal(v.pass, true);
  assert.deepEqual(v.knownUpstream, ['k']);
  const untagged = result('u', 'failed', 1, 'Smoke', { statusDetails: { message: `${KNOWN_UPSTREAM} bug` } });
  assert.equal(judge(outcomes([untagged] as never), policy, ['smoke']).pass, false);
});

test('an empty or missing results directory never passes', () => {
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'gate-'));
  assert.throws(() => readResults(empty), /no test results/);
  assert.throws(() => readResults(path.join(empty, 'missing')), /no results directory/);
  assert.equal(judge([], policy, []).pass, false);
});
