import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PocketE2EError } from '../errors';
import { parseArgs } from './network-up-args';

test('network:up flags: counts must be whole numbers in range', () => {
  assert.deepEqual(parseArgs(['--nodes', '4', '--json']), { nodes: 4, json: true, audit: true });
  assert.deepEqual(parseArgs(['--no-audit']), { json: false, audit: false });
  assert.deepEqual(parseArgs(['--nodes=2']), { nodes: 2, json: false, audit: true });
  for (const bad of [['--nodes', '0'], ['--nodes', 'abc'], ['--nodes'], ['--nodes', '2.5'], ['--apps', '-1'], ['--bogus']]) {
    assert.throws(() => parseArgs(bad), PocketE2EError, bad.join(' '));
  }
});
