import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appVersionOf, imageTagFor, parseReplaces, wrapperGoMod } from './pocket-core';

test('replace directives are read in single-line and block form', () => {
  const goMod = [
    'module x',
    'replace github.com/a/b => github.com/c/b v1.2.3 // fork',
    'replace (',
    '  github.com/d/e => github.com/f/e v0.0.1',
    ')',
    'require github.com/z v1',
  ].join('\n');
  assert.deepEqual(parseReplaces(goMod), ['github.com/a/b => github.com/c/b v1.2.3', 'github.com/d/e => github.com/f/e v0.0.1']);
});

test('the wrapper module requires the version and repeats every replace', () => {
  const mod = wrapperGoMod({ moduleVersion: 'v0.0.0-20230517195228-60cf936bf536', replaces: ['a => b v1'] });
  assert.match(mod, /require github.com\/pokt-network\/pocket-core v0\.0\.0-20230517195228-60cf936bf536/);
  assert.match(mod, /^replace a => b v1$/m);
});

test('image tags name the release and the commit', () => {
  assert.equal(appVersionOf('const (\n\tAppVersion = "RC-0.9.2"\n)'), 'RC-0.9.2');
  assert.equal(imageTagFor({ appVersion: 'RC-0.9.2', commit: '60cf936bf5360248135982f5b422fe03bd3c735f' }), 'pocket-e2e/pocket-core:rc-0.9.2-60cf936bf536');
});
