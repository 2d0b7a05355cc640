import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { sampleHeights } from './auditor';
import { exitCode, formatReport, parseArgs } from './cli';
import { LAWS } from './laws';
import { latestSessionHeight } from './law-sessions';
import { moduleAddress } from './chain';
import { parseExactJson } from './source';

test('sampleHeights spreads the budget and always ends on the last height', () => {
  assert.deepEqual(sampleHeights(1, 100, 5), [1, 26, 51, 75, 100]);
  assert.deepEqual(sampleHeights(10, 12, 10), [10, 11, 12]);
  assert.deepEqual(sampleHeights(5, 50, 1), [50]);
  assert.throws(() => sampleHeights(9, 8, 3), /empty range/);
});

test('every law names its statement, its pocket-core source and a check', () => {
  assert.equal(new Set(LAWS.map((l) => l.id)).size, LAWS.length);
  for (const l of LAWS) {
    assert.ok(l.statement.length > 20, l.id);
    assert.match(l.source, /x\/|app\//, l.id);
  }
});

test('session heights follow GetLatestSessionBlockHeight', () => {
  assert.deepEqual([1, 4, 5, 8, 9, 12].map((h) => latestSessionHeight(h, 4)), [1, 1, 5, 5, 9, 9]);
});

test('module addresses are SHA-256(name)[:20] and big integers stay exact', () => {
  assert.equal(moduleAddress('dao').length, 40);
  assert.deepEqual(parseExactJson('{"balance":123456789012345678901}'), { balance: '123456789012345678901' });
  assert.deepEqual(parseExactJson('{"a":"x,12345678901234567890"}'), { a: 'x,12345678901234567890' });
});

test('the CLI takes several --rpc and heights, and exits 1 on a violation', () => {
  const a = parseArgs(['--rpc', 'http://127.0.0.1:1', '--rpc=http://127.0.0.1:2', '--from', '3', '--to', '9', '--law', 'supply.conservation']);
  assert.deepEqual(a.rpc, ['http://127.0.0.1:1', 'http://127.0.0.1:2']);
  assert.deepEqual(a.request, { fromHeight: 3, toHeight: 9, laws: ['supply.conservation'] });
  assert.throws(() => parseArgs([]), /at least one --rpc/);
  assert.throws(() => parseArgs(['--rpc', 'x']), /needs a URL/);
  const law = LAWS[0];
  const report = { fromHeight: 1, toHeight: 2, heights: [1, 2], calls: 3, verdicts: [{ law, status: 'fail' as const, heights: [2], violations: [{ law: law.id, height: 2, detail: 'total 5 ≠ 4' }], notes: [] }], violations: [{ law: law.id, height: 2, detail: 'total 5 ≠ 4' }] };
  assert.equal(exitCode(report, false), 1);
  assert.ok(formatReport(report).includes(`VIOLATION ${law.id} at height 2: total 5 ≠ 4`));
});

test('the fee split follows sdk.Dec: the DAO share rounded half to even at 18 decimals, the product truncated', async () => {
  const { splitFees } = await import('./law-fees');
  assert.deepEqual(splitFees(10_000n, 10n, 1n), { dao: 9_090n, proposer: 910n });
  assert.deepEqual(splitFees(10_007n, 10n, 1n), { dao: 9_097n, proposer: 910n });
  // 2/3 = 0.666…667 after rounding: 3 × that truncates to 2, not 1.
  assert.deepEqual(splitFees(3n, 10n, 5n), { dao: 2n, proposer: 1n });
  assert.deepEqual(splitFees(0n, 10n, 1n), { dao: 0n, proposer: 0n });
  assert.deepEqual(splitFees(5n, 0n, 0n), { dao: 0n, proposer: 5n });
});
