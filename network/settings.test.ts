import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { pocketCoreSource, readSettings, versionMatrix } from './settings';
import { PocketE2EError } from './errors';

test('a wrong number in the environment is a one-line error naming the variable', () => {
  process.env.POCKET_E2E_NODES = 'abc';
  try {
    assert.throws(() => readSettings(), (err: unknown) => err instanceof PocketE2EError && /POCKET_E2E_NODES="abc"/.test(err.message) && !err.message.includes('\n'));
    process.env.POCKET_E2E_NODES = '0';
    assert.throws(() => readSettings(), PocketE2EError);
    process.env.POCKET_E2E_NODES = '5';
    assert.equal(readSettings().nodes, 5);
  } finally {
    delete process.env.POCKET_E2E_NODES;
  }
});

test('POCKET_CORE_VERSIONS is a comma-separated matrix; an empty entry is refused with the fix', () => {
  assert.equal(versionMatrix(undefined), undefined);
  assert.deepEqual(versionMatrix(' RC-0.11.3, RC-0.12.0 ,RC-0.12.0'), ['RC-0.11.3', 'RC-0.12.0']);
  assert.throws(() => versionMatrix('RC-0.11.3,,RC-0.12.0'), /POCKET_CORE_VERSIONS has an empty entry.*separated by commas/);
});

test('POCKET_CORE_SRC is an absolute path; beside POCKET_CORE_IMAGE or POCKET_CORE_VERSIONS it is a one-line error', () => {
  assert.equal(pocketCoreSource({}), undefined);
  assert.equal(pocketCoreSource({ POCKET_CORE_SRC: '../pocket-core' }), path.resolve('../pocket-core'));
  const oneLine = (pattern: RegExp) => (err: unknown) => err instanceof PocketE2EError && pattern.test(err.message) && !err.message.includes('\n');
  assert.throws(() => pocketCoreSource({ POCKET_CORE_SRC: '../pocket-core', POCKET_CORE_IMAGE: 'x:y' }), oneLine(/POCKET_CORE_SRC and POCKET_CORE_IMAGE are both set: unset one/));
  assert.throws(() => pocketCoreSource({ POCKET_CORE_SRC: '../pocket-core', POCKET_CORE_VERSIONS: 'RC-0.12.0' }), oneLine(/POCKET_CORE_SRC and POCKET_CORE_VERSIONS are both set: unset one/));
});
