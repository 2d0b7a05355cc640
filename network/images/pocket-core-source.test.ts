import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { PocketE2EError } from '../errors';
import { buildKey, firstCompilerError, imageTagFor, wrapperGoMod } from './pocket-core-build';
import { absoluteReplaces, hashGoSources, readSourceTree, treeIdentity, treeState } from './pocket-core-source';

const COMMIT = '60ce9a128dbb0e4e1e5c3e4e0a0b0c0d0e0f1a2b';

/** A minimal tree that passes validation: go.mod, app/app.go with an AppVersion, the main package. */
function fakeTree(opts: { module?: string; main?: boolean; appVersion?: string } = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pc-tree-'));
  fs.writeFileSync(path.join(dir, 'go.mod'), `module ${opts.module ?? 'github.com/pokt-network/pocket-core'}\n\ngo 1.21\n\nreplace github.com/a/b => ../b-fork\n\nreplace github.com/c/d => github.com/e/d v1.0.0\n`);
  fs.mkdirSync(path.join(dir, 'app'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'app', 'app.go'), opts.appVersion === '' ? 'package app\n' : `package app\n\nconst (\n\tAppVersion = "${opts.appVersion ?? 'RC-0.12.0'}"\n)\n`);
  if (opts.main !== false) {
    fs.mkdirSync(path.join(dir, 'app', 'cmd', 'pocket_core'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'app', 'cmd', 'pocket_core', 'main.go'), 'package main\n\nfunc main() {}\n');
  }
  return dir;
}

/** A one-line PocketE2EError whose message matches. */
const oneLine = (pattern: RegExp) => (err: unknown) => err instanceof PocketE2EError && pattern.test(err.message) && !err.message.includes('\n');

test('a clean checkout is named by release and commit; changes add a hash; outside git the hash stands alone', () => {
  const clean = treeIdentity({ commit: COMMIT });
  assert.equal(clean, 'src-60ce9a128dbb');
  assert.equal(imageTagFor({ appVersion: 'RC-0.12.0', commit: COMMIT, localTree: { dir: '/t', identity: clean } }), 'pocket-e2e/pocket-core:rc-0.12.0-src-60ce9a128dbb');
  const dirty = treeIdentity({ commit: COMMIT, dirtyHash: '0a1b2c3d4e5f' });
  assert.equal(dirty, 'src-60ce9a128dbb-dirty-0a1b2c3d4e5f');
  assert.equal(imageTagFor({ appVersion: 'RC-0.12.0', commit: COMMIT, localTree: { dir: '/t', identity: dirty } }), 'pocket-e2e/pocket-core:rc-0.12.0-src-60ce9a128dbb-dirty-0a1b2c3d4e5f');
  assert.equal(treeIdentity({ commit: 'nogit', dirtyHash: 'ffeeddccbbaa' }), 'src-nogit-ffeeddccbbaa');
  // A module build of the same commit keeps its own tag: a tree is never mistaken for the release.
  assert.equal(imageTagFor({ appVersion: 'RC-0.12.0', commit: COMMIT }), 'pocket-e2e/pocket-core:rc-0.12.0-60ce9a128dbb');
});

test('the binary cache key follows the tree identity, a module build keeps its version', () => {
  assert.equal(buildKey({ appVersion: 'RC-0.12.0', moduleVersion: '/t', localTree: { dir: '/t', identity: 'src-60ce9a128dbb-dirty-0a1b2c3d4e5f' } }), 'rc-0.12.0-src-60ce9a128dbb-dirty-0a1b2c3d4e5f');
  assert.equal(buildKey({ appVersion: 'RC-0.12.0', moduleVersion: 'v0.0.0-20241002194714-60ce9a128dbb' }), 'v0.0.0-20241002194714-60ce9a128dbb');
});

test('the wrapper module replaces pocket-core by the tree and repeats the tree\'s replaces', () => {
  const mod = wrapperGoMod({ moduleVersion: '/src/pocket-core', replaces: ['github.com/a/b => /src/b-fork'], localTree: { dir: '/src/pocket-core', identity: 'src-x' } });
  assert.match(mod, /^require github\.com\/pokt-network\/pocket-core v0\.0\.0-00010101000000-000000000000$/m);
  assert.match(mod, /^replace github\.com\/pokt-network\/pocket-core => \/src\/pocket-core$/m);
  assert.match(mod, /^replace github\.com\/a\/b => \/src\/b-fork$/m);
});

test('a tree\'s local replaces are made absolute; module replaces are kept', () => {
  assert.deepEqual(absoluteReplaces(['github.com/a/b => ../b-fork', 'github.com/c/d v1 => github.com/e/d v1.0.0', 'x => ./x'], '/src/pocket-core'), [
    'github.com/a/b => /src/b-fork',
    'github.com/c/d v1 => github.com/e/d v1.0.0',
    'x => /src/pocket-core/x',
  ]);
});

test('a valid tree gives its AppVersion and replaces', () => {
  const dir = fakeTree();
  try {
    const tree = readSourceTree(dir);
    assert.equal(tree.appVersion, 'RC-0.12.0');
    assert.deepEqual(tree.replaces, [`github.com/a/b => ${path.resolve(dir, '../b-fork')}`, 'github.com/c/d => github.com/e/d v1.0.0']);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a tree that is missing or not pocket-core is one line naming the problem and the fix', () => {
  const missing = path.join(os.tmpdir(), 'no-such-pocket-core-tree');
  assert.throws(() => readSourceTree(missing), oneLine(/POCKET_CORE_SRC=.*no-such-pocket-core-tree does not exist: set POCKET_CORE_SRC to the root of a pocket-core checkout/));
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'pc-empty-'));
  const other = fakeTree({ module: 'github.com/someone/else' });
  const noMain = fakeTree({ main: false });
  const noVersion = fakeTree({ appVersion: '' });
  try {
    assert.throws(() => readSourceTree(path.join(other, 'go.mod')), oneLine(/is a file, not a directory/));
    assert.throws(() => readSourceTree(empty), oneLine(/is not a pocket-core tree \(no go\.mod\): set POCKET_CORE_SRC to the root/));
    assert.throws(() => readSourceTree(other), oneLine(/declares module github\.com\/someone\/else, not github\.com\/pokt-network\/pocket-core\): set POCKET_CORE_SRC/));
    assert.throws(() => readSourceTree(noMain), oneLine(/no app\/cmd\/pocket_core, the pocket binary's main package/));
    assert.throws(() => readSourceTree(noVersion), oneLine(/app\/app\.go declares no AppVersion constant/));
  } finally {
    for (const d of [empty, other, noMain, noVersion]) fs.rmSync(d, { recursive: true, force: true });
  }
});

test('a compile error is reported as the compiler\'s line, the file relative to the tree', () => {
  const out = '# github.com/pokt-network/pocket-core/app\n../../../../../tmp/pc-src/app/app.go:12:3: undefined: foo\n../../../../../tmp/pc-src/app/app.go:13:3: undefined: bar\n';
  assert.deepEqual(firstCompilerError(out, '/work/main/.cache/go-build/key', '/tmp/pc-src'), { line: 'app/app.go:12:3: undefined: foo', count: 2 });
  assert.deepEqual(firstCompilerError('github.com/pokt-network/pocket-core/x/nodes/keeper.go:7:2: syntax error', '/b'), { line: 'x/nodes/keeper.go:7:2: syntax error', count: 1 });
  assert.equal(firstCompilerError('go: module lookup disabled', '/b'), undefined);
});

test('outside git a tree is hashed over its Go sources: any edit of one changes it, other files do not', () => {
  const dir = fakeTree();
  try {
    const before = hashGoSources(dir);
    assert.match(before, /^[0-9a-f]{12}$/);
    fs.writeFileSync(path.join(dir, 'README.md'), 'docs');
    assert.equal(hashGoSources(dir), before);
    fs.appendFileSync(path.join(dir, 'app', 'app.go'), '// edited\n');
    assert.notEqual(hashGoSources(dir), before);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a git checkout is clean at its commit, and dirty with a new hash after each edit', async () => {
  const dir = fakeTree();
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.email=t@t', '-c', 'user.name=t', ...args], { cwd: dir, stdio: 'pipe' }).toString().trim();
  try {
    assert.equal((await treeState(dir)).commit, 'nogit');
    git('init', '-q');
    git('add', '-A');
    git('commit', '-qm', 'tree');
    const head = git('rev-parse', 'HEAD');
    assert.deepEqual(await treeState(dir), { commit: head });
    fs.appendFileSync(path.join(dir, 'app', 'app.go'), '// edited\n');
    const edited = await treeState(dir);
    assert.equal(edited.commit, head);
    assert.match(edited.dirtyHash ?? '', /^[0-9a-f]{12}$/);
    fs.writeFileSync(path.join(dir, 'app', 'new.go'), 'package app\n');
    const untracked = await treeState(dir);
    assert.notEqual(untracked.dirtyHash, edited.dirtyHash);
    assert.deepEqual(await treeState(dir), untracked, 'the same tree gives the same identity');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
