import * as fs from 'node:fs';
import * as path from 'node:path';
import { PocketE2EError } from '../errors';
import { lastLine, run } from '../process';
import { CACHE_DIR, type Settings } from '../settings';
import { imageId } from '../docker';
import { parseAppVersion } from '../upgrade';
import { appVersionOf, buildPocketBinary, buildPocketCoreImage, go, imageTagFor, parseReplaces, POCKET_CORE_MODULE } from './pocket-core-build';
import { sourceTreeImage } from './pocket-core-source';
import { progress } from './progress';

// Existing callers import the build steps from here.
export { appVersionOf, buildPocketBinary, imageTagFor, parseReplaces, POCKET_CORE_MODULE, wrapperGoMod } from './pocket-core-build';

/**
 * A pocket-core source: a version resolved by the Go module proxy, or a local working tree
 * (POCKET_CORE_SRC). What was asked, what it is.
 */
export interface ResolvedPocketCore {
  requested: string;
  /** Go module version (tag or pseudo-version); for a local tree, the tree's absolute path. */
  moduleVersion: string;
  /** Full git commit the proxy reports, or the tree's HEAD (`nogit` when it is no git checkout). */
  commit: string;
  /** The source (module cache, read-only; or the tree): specs, router and feature keys are read from here. */
  moduleDir: string;
  /** The `AppVersion` constant of that source, e.g. RC-0.9.2. */
  appVersion: string;
  /** `replace` directives of the module's go.mod, repeated by our wrapper module. */
  replaces: string[];
  /** Set when the source is a local working tree rather than a module version. */
  localTree?: LocalTree;
}

/** A pocket-core working tree compiled as it is on disk, uncommitted changes included. */
export interface LocalTree {
  /** Absolute path; the wrapper module's `replace` points here. */
  dir: string;
  /**
   * Names the tree's state in its image tag and binary: `src-<commit>` for a clean checkout,
   * `src-<commit>-dirty-<hash>` with changes, `src-nogit-<hash>` outside git.
   */
  identity: string;
  /** Hash of what differs from the commit (of every Go source outside git); absent when clean. */
  dirtyHash?: string;
}

/** What the network runs: an image and where it came from. */
export interface PocketCoreImage {
  image: string;
  imageId: string;
  /** `source-tree`: built (or reused) from a local working tree, POCKET_CORE_SRC. */
  source: 'built' | 'cached' | 'user-supplied' | 'source-tree';
  /** The AppVersion the binary in the image reports (`pocket version`), never guessed from a name. */
  appVersion: string;
  /**
   * The source the image was built from; for a user-supplied image, the module of the version it
   * reports (its specs, routes and feature keys), when the Go module proxy serves that version.
   */
  core?: ResolvedPocketCore;
}

/** A private scratch module per call: parallel workers resolving at once must not share a go.mod. */
function scratchModule(): string {
  fs.mkdirSync(path.join(CACHE_DIR, 'tmp'), { recursive: true });
  const dir = fs.mkdtempSync(path.join(CACHE_DIR, 'tmp', 'go-resolve-'));
  fs.writeFileSync(path.join(dir, 'go.mod'), 'module pocket_e2e_resolve\n\ngo 1.21\n');
  return dir;
}

const resolvedFile = (requested: string) => path.join(CACHE_DIR, 'resolved', `${requested.replace(/[^A-Za-z0-9._-]/g, '_')}.json`);

/**
 * Resolves a version once per machine and remembers it (a tag could move, so `npm run images`
 * re-resolves; test workers reuse the record global setup wrote).
 */
export async function resolvePocketCore(requested: string, opts: { fresh?: boolean } = {}): Promise<ResolvedPocketCore> {
  const memo = resolvedFile(requested);
  if (!opts.fresh && fs.existsSync(memo)) {
    const known = JSON.parse(fs.readFileSync(memo, 'utf8')) as ResolvedPocketCore;
    if (fs.existsSync(known.moduleDir)) return known;
  }
  const resolved = await resolveThroughProxy(requested);
  fs.mkdirSync(path.dirname(memo), { recursive: true });
  fs.writeFileSync(memo, JSON.stringify(resolved, null, 2));
  return resolved;
}

async function resolveThroughProxy(requested: string): Promise<ResolvedPocketCore> {
  const p = progress(`pocket-core ${requested}`);
  p.info('resolving through the Go module proxy');
  const scratch = scratchModule();
  const res = await go(['mod', 'download', '-json', `${POCKET_CORE_MODULE}@${requested}`], scratch).finally(() => fs.rmSync(scratch, { recursive: true, force: true }));
  let info: { Version?: string; Dir?: string; GoMod?: string; Error?: string; Origin?: { Hash?: string } } = {};
  try { info = JSON.parse(res.stdout); } catch { /* reported below */ }
  if (res.code !== 0 || info.Error || !info.Dir || !info.GoMod) {
    const why = (info.Error || lastLine(res.stderr)).replace(/\s+/g, ' ');
    throw new PocketE2EError(`pocket-core version ${JSON.stringify(requested)} cannot be fetched from the Go module proxy (${why}): set POCKET_CORE_VERSION to a tag, pseudo-version or commit your proxy serves, or POCKET_CORE_IMAGE to a prebuilt image`);
  }
  const moduleVersion = info.Version!;
  const commit = info.Origin?.Hash ?? moduleVersion.match(/-([0-9a-f]{12})$/)?.[1] ?? moduleVersion;
  const appVersion = appVersionOf(fs.readFileSync(path.join(info.Dir, 'app', 'app.go'), 'utf8'));
  p.done(`${moduleVersion} = ${appVersion} @ ${commit.slice(0, 12)}`);
  return { requested, moduleVersion, commit, moduleDir: info.Dir, appVersion, replaces: parseReplaces(fs.readFileSync(info.GoMod, 'utf8')) };
}

/**
 * The pocket-core image for the settings: a user-supplied image as is, a local working tree
 * compiled as it is, else a local image built from the Go module at that version (reused when
 * its tag already exists).
 */
export async function pocketCoreImage(opts: { version: string; userImage?: string; sourceDir?: string; fresh?: boolean }): Promise<PocketCoreImage> {
  if (opts.userImage) return userSuppliedImage(opts.userImage);
  if (opts.sourceDir) return sourceTreeImage(opts.sourceDir);
  return moduleImage(opts.version, opts.fresh);
}

/** The image under test as the settings choose it (POCKET_CORE_IMAGE, else POCKET_CORE_SRC, else POCKET_CORE_VERSION). */
export function pocketCoreImageFor(settings: Pick<Settings, 'pocketCoreVersion' | 'pocketCoreImage' | 'pocketCoreSource'>, opts: { fresh?: boolean } = {}): Promise<PocketCoreImage> {
  return pocketCoreImage({ version: settings.pocketCoreVersion, userImage: settings.pocketCoreImage, sourceDir: settings.pocketCoreSource, fresh: opts.fresh });
}

async function userSuppliedImage(image: string): Promise<PocketCoreImage> {
  const id = await imageId(image);
  if (!id) throw new PocketE2EError(`POCKET_CORE_IMAGE=${image} is not a local image: 'docker pull ${image}' first (nothing is pulled during a run) or unset it to build from source`);
  const appVersion = await appVersionInImage(image, id);
  const core = await resolvePocketCore(appVersion).catch(() => undefined);
  return { image, imageId: id, source: 'user-supplied', appVersion, core };
}

async function moduleImage(version: string, fresh?: boolean): Promise<PocketCoreImage> {
  const core = await resolvePocketCore(version, { fresh });
  const tag = imageTagFor(core);
  const existing = await imageId(tag);
  if (existing) return { image: tag, imageId: existing, source: 'cached', appVersion: core.appVersion, core };
  const id = await buildPocketCoreImage(await buildPocketBinary(core), tag, {
    'org.pocket-e2e.pocket-core.version': core.appVersion,
    'org.pocket-e2e.pocket-core.module-version': core.moduleVersion,
    'org.pocket-e2e.pocket-core.commit': core.commit,
  });
  return { image: tag, imageId: id, source: 'built', appVersion: core.appVersion, core };
}

/** Runs `pocket version` in the image once per image id (remembered on disk). */
async function appVersionInImage(image: string, id: string): Promise<string> {
  const memo = path.join(CACHE_DIR, 'image-versions', `${id.replace(/[^A-Za-z0-9]/g, '_')}.txt`);
  if (fs.existsSync(memo)) return fs.readFileSync(memo, 'utf8').trim();
  const res = await run('docker', ['run', '--rm', '--entrypoint', 'pocket', image, 'version'], { timeoutMs: 60_000 });
  const version = parseAppVersion(res.stdout);
  if (res.code !== 0 || !version) {
    throw new PocketE2EError(`POCKET_CORE_IMAGE=${image} does not run \`pocket version\` (${lastLine(res.stderr || res.stdout)}): the image needs pocket-core's \`pocket\` binary on PATH`);
  }
  fs.mkdirSync(path.dirname(memo), { recursive: true });
  fs.writeFileSync(memo, version);
  return version;
}
