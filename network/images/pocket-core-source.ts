/**
 * POCKET_CORE_SRC: a pocket-core working tree compiled as it is on disk, uncommitted changes
 * included: how pocket-core's own pull requests run this regression. The tree is checked, named
 * by its state (AppVersion, commit, a hash of what differs from the commit), and built with the
 * same wrapper/compile/image steps as a module version, the wrapper's `replace` pointing at it.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PocketE2EError } from '../errors';
import { run } from '../process';
import { CACHE_DIR } from '../settings';
import { imageId } from '../docker';
import { appVersionOf, buildPocketBinary, buildPocketCoreImage, imageTagFor, parseReplaces, POCKET_CORE_MAIN, POCKET_CORE_MODULE } from './pocket-core-build';
import { progress } from './progress';
import type { PocketCoreImage, ResolvedPocketCore } from './pocket-core';

/** What a valid tree declares: its release and the replaces its go.mod needs. */
export interface SourceTree {
  appVersion: string;
  /** The tree's `replace` lines, local paths made absolute (the wrapper module lives elsewhere). */
  replaces: string[];
}

/** The tree's state relative to git: its commit (`nogit` outside git) and a hash when it differs. */
export interface TreeState {
  commit: string;
  dirtyHash?: string;
}

const NOT_A_TREE_FIX = 'set POCKET_CORE_SRC to the root of a pocket-core checkout (e.g. ../pocket-core)';

/** Checks that `dir` is a pocket-core tree and reads what the build needs; one line per problem. */
export function readSourceTree(dir: string): SourceTree {
  const setting = `POCKET_CORE_SRC=${dir}`;
  if (!fs.existsSync(dir)) throw new PocketE2EError(`${setting} does not exist: ${NOT_A_TREE_FIX}, or unset it to build POCKET_CORE_VERSION`);
  if (!fs.statSync(dir).isDirectory()) throw new PocketE2EError(`${setting} is a file, not a directory: ${NOT_A_TREE_FIX}`);
  const goModFile = path.join(dir, 'go.mod');
  if (!fs.existsSync(goModFile)) throw new PocketE2EError(`${setting} is not a pocket-core tree (no go.mod): ${NOT_A_TREE_FIX}`);
  const goMod = fs.readFileSync(goModFile, 'utf8');
  const module = goMod.match(/^\s*module\s+"?([^\s"]+)"?/m)?.[1];
  if (module !== POCKET_CORE_MODULE) {
    throw new PocketE2EError(`${setting} is not a pocket-core tree (its go.mod declares module ${module ?? 'nothing'}, not ${POCKET_CORE_MODULE}): ${NOT_A_TREE_FIX}`);
  }
  if (!fs.existsSync(path.join(dir, POCKET_CORE_MAIN))) {
    throw new PocketE2EError(`${setting} is not a pocket-core tree (no ${POCKET_CORE_MAIN}, the pocket binary's main package): ${NOT_A_TREE_FIX}`);
  }
  const appGo = path.join(dir, 'app', 'app.go');
  const appVersion = fs.existsSync(appGo) ? appVersionOf(fs.readFileSync(appGo, 'utf8')) : 'unknown';
  // Upgrades, codec switches and tags all go by the AppVersion: without it nothing can be named.
  if (appVersion === 'unknown') throw new PocketE2EError(`${setting}: app/app.go declares no AppVersion constant (e.g. AppVersion = "RC-0.12.0"): restore it in the tree`);
  return { appVersion, replaces: absoluteReplaces(parseReplaces(goMod), dir) };
}

/** `x => ../fork` in the tree's go.mod means a directory beside the tree, not beside our wrapper. */
export function absoluteReplaces(replaces: string[], dir: string): string[] {
  return replaces.map((r) => {
    const [from, to] = r.split(/\s*=>\s*/);
    const target = to.trim();
    const isPath = /^\.{1,2}(\/|$)/.test(target) || path.isAbsolute(target);
    return isPath ? `${from} => ${path.resolve(dir, target)}` : r;
  });
}

/**
 * The tree's name in tags and binaries: `src-<commit>` when clean, `src-<commit>-dirty-<hash>`
 * with changes, `src-nogit-<hash>` outside git (always hashed: there is no commit to stand for it).
 */
export function treeIdentity(state: TreeState): string {
  if (state.commit === 'nogit') return `src-nogit-${state.dirtyHash ?? 'unhashed'}`;
  const commit = `src-${state.commit.slice(0, 12)}`;
  return state.dirtyHash ? `${commit}-dirty-${state.dirtyHash}` : commit;
}

/** Git in the tree; a checkout owned by another user (CI containers) is still read. */
const git = (dir: string, args: string[]) => run('git', ['-c', 'safe.directory=*', ...args], { cwd: dir }).catch(() => ({ code: 1, stdout: '', stderr: 'git is not installed' }));

const shortHash = (h: ReturnType<typeof createHash>) => h.digest('hex').slice(0, 12);

/** Commit and dirty hash of a git checkout; `nogit` and a hash of every Go source otherwise. */
export async function treeState(dir: string): Promise<TreeState> {
  const head = await git(dir, ['rev-parse', 'HEAD']);
  // go.mod tracked at this path: a pocket-core copied into some other repository is no checkout of it.
  const tracked = head.code === 0 && (await git(dir, ['ls-files', '--error-unmatch', 'go.mod'])).code === 0;
  if (!tracked) return { commit: 'nogit', dirtyHash: hashGoSources(dir) };
  const commit = head.stdout.trim();
  const status = await git(dir, ['status', '--porcelain', '--untracked-files=all', '--', '.']);
  if (!status.stdout.trim()) return { commit };
  return { commit, dirtyHash: await hashChanges(dir) };
}

/** Hash of the diff against HEAD (staged and not) and of every untracked, not ignored file. */
async function hashChanges(dir: string): Promise<string> {
  const h = createHash('sha256');
  h.update((await git(dir, ['diff', 'HEAD', '--binary', '--no-ext-diff', '--', '.'])).stdout);
  const untracked = (await git(dir, ['ls-files', '--others', '--exclude-standard', '-z', '--', '.'])).stdout.split('\0').filter(Boolean).sort();
  for (const rel of untracked) {
    const file = path.join(dir, rel);
    h.update(`\0${rel}\0`);
    if (fs.statSync(file, { throwIfNoEntry: false })?.isFile()) h.update(fs.readFileSync(file));
  }
  return shortHash(h);
}

/** Directories the go command never compiles from: skipping them keeps the hash to what builds. */
const IGNORED_DIR = (name: string) => name.startsWith('.') || name.startsWith('_') || ['testdata', 'vendor', 'node_modules'].includes(name);

/** Hash of every *.go, go.mod and go.sum file under `dir`, paths included, in a fixed order. */
export function hashGoSources(dir: string): string {
  const h = createHash('sha256');
  const walk = (rel: string) => {
    const entries = fs.readdirSync(path.join(dir, rel), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      const child = path.join(rel, e.name);
      if (e.isDirectory() && !IGNORED_DIR(e.name)) walk(child);
      else if (e.isFile() && (e.name.endsWith('.go') || e.name === 'go.mod' || e.name === 'go.sum')) {
        h.update(`\0${child}\0`);
        h.update(fs.readFileSync(path.join(dir, child)));
      }
    }
  };
  walk('');
  return shortHash(h);
}

/** Every edit makes a new build: keep the newest few trees' binaries and wrapper modules, not all. */
function pruneOldTreeBuilds(keep = 3): void {
  for (const sub of ['bin', 'go-build']) {
    const dir = path.join(CACHE_DIR, sub);
    if (!fs.existsSync(dir)) continue;
    const builds = fs.readdirSync(dir)
      .filter((n) => n.includes('-src-') && !n.endsWith('.tmp'))
      .map((n) => ({ file: path.join(dir, n), mtime: fs.statSync(path.join(dir, n)).mtimeMs }))
      .sort((a, b) => b.mtime - a.mtime);
    for (const old of builds.slice(keep)) fs.rmSync(old.file, { recursive: true, force: true });
  }
}

/** The image of a pocket-core working tree: reused while the tree is unchanged, rebuilt after any edit. */
export async function sourceTreeImage(dir: string): Promise<PocketCoreImage> {
  const tree = readSourceTree(dir);
  const state = await treeState(dir);
  const core: ResolvedPocketCore = {
    requested: dir,
    moduleVersion: dir,
    commit: state.commit,
    moduleDir: dir,
    appVersion: tree.appVersion,
    replaces: tree.replaces,
    localTree: { dir, identity: treeIdentity(state), dirtyHash: state.dirtyHash },
  };
  const tag = imageTagFor(core);
  const p = progress(`pocket-core tree ${dir}`);
  const existing = await imageId(tag);
  if (existing) {
    p.info(`unchanged since ${tag} was built: reusing it`);
    return { image: tag, imageId: existing, source: 'source-tree', appVersion: core.appVersion, core };
  }
  const at = state.commit === 'nogit' ? `no git checkout, sources ${state.dirtyHash}` : `${state.commit.slice(0, 12)}${state.dirtyHash ? `, changes ${state.dirtyHash}` : ', clean'}`;
  p.info(`${core.appVersion} (${at}): building ${tag}`);
  const id = await buildPocketCoreImage(await buildPocketBinary(core), tag, {
    'org.pocket-e2e.pocket-core.version': core.appVersion,
    'org.pocket-e2e.pocket-core.source-tree': dir,
    'org.pocket-e2e.pocket-core.commit': state.commit,
    'org.pocket-e2e.pocket-core.dirty-hash': state.dirtyHash ?? '',
  });
  pruneOldTreeBuilds();
  return { image: tag, imageId: id, source: 'source-tree', appVersion: core.appVersion, core };
}
