import * as fs from 'node:fs';
import * as path from 'node:path';
import { PocketE2EError } from '../errors';
import { lastLine, run, tail } from '../process';
import { CACHE_DIR, PROJECT_LABEL } from '../settings';
import { buildImage, imageId } from '../docker';
import { parseAppVersion } from '../upgrade';
import { goBuildEnv } from './go-env';
import { progress } from './progress';
import { staticBusybox, writeScratchContext } from './rootfs';

export const POCKET_CORE_MODULE = 'github.com/pokt-network/pocket-core';

/** A pocket-core version resolved by the Go module proxy: what was asked, what it is. */
export interface ResolvedPocketCore {
  requested: string;
  /** Go module version (tag or pseudo-version). */
  moduleVersion: string;
  /** Full git commit the proxy reports. */
  commit: string;
  /** Extracted module source in the Go module cache (read-only): specs and router are read from here. */
  moduleDir: string;
  /** The `AppVersion` constant of that source, e.g. RC-0.9.2. */
  appVersion: string;
  /** `replace` directives of the module's go.mod, repeated by our wrapper module. */
  replaces: string[];
}

/** What the network runs: an image and where it came from. */
export interface PocketCoreImage {
  image: string;
  imageId: string;
  source: 'built' | 'cached' | 'user-supplied';
  /** The AppVersion the binary in the image reports (`pocket version`), never guessed from a name. */
  appVersion: string;
  /**
   * The source the image was built from; for a user-supplied image, the module of the version it
   * reports (its specs, routes and feature keys), when the Go module proxy serves that version.
   */
  core?: ResolvedPocketCore;
}


async function go(args: string[], cwd: string, onLine?: (l: string) => void) {
  return run('go', args, { cwd, env: goBuildEnv(), onLine }).catch((err: unknown) => {
    if (err instanceof PocketE2EError) throw new PocketE2EError('Go is not installed: install Go ≥ 1.21 (https://go.dev/dl) or set POCKET_CORE_IMAGE to a prebuilt image');
    throw err;
  });
}

/** Parses `replace a => b v` lines (single and block form) of a go.mod. */
export function parseReplaces(goMod: string): string[] {
  const out: string[] = [];
  let inBlock = false;
  for (const raw of goMod.split('\n')) {
    const line = raw.replace(/\/\/.*$/, '').trim();
    if (/^replace\s*\($/.test(line)) { inBlock = true; continue; }
    if (inBlock && line === ')') { inBlock = false; continue; }
    const body = inBlock ? line : line.match(/^replace\s+(.*)$/)?.[1];
    if (body && body.includes('=>')) out.push(body.replace(/\s+/g, ' '));
  }
  return out;
}

export function appVersionOf(appGoSource: string): string {
  return appGoSource.match(/AppVersion\s*=\s*"([^"]+)"/)?.[1] ?? 'unknown';
}

/** Docker tag for a build: names the release and the commit, e.g. `rc-0.9.2-60cf936bf536`. */
export function imageTagFor(core: Pick<ResolvedPocketCore, 'appVersion' | 'commit'>): string {
  const release = core.appVersion.toLowerCase().replace(/[^a-z0-9_.-]/g, '-');
  return `pocket-e2e/pocket-core:${release}-${core.commit.slice(0, 12)}`;
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

/** The wrapper module: requires pocket-core and repeats its replaces (go install refuses modules with replaces). */
export function wrapperGoMod(core: Pick<ResolvedPocketCore, 'moduleVersion' | 'replaces'>): string {
  return [
    'module pocket_e2e_build',
    '',
    'go 1.21',
    '',
    `require ${POCKET_CORE_MODULE} ${core.moduleVersion}`,
    '',
    ...core.replaces.map((r) => `replace ${r}`),
    '',
  ].join('\n');
}

/** Builds a static `pocket` binary of that version (CGO off: pure-Go secp256k1 and goleveldb). */
export async function buildPocketBinary(core: ResolvedPocketCore): Promise<string> {
  const out = path.join(CACHE_DIR, 'bin', `pocket-${core.moduleVersion}`);
  if (fs.existsSync(out)) return out;
  const dir = path.join(CACHE_DIR, 'go-build', core.moduleVersion);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'go.mod'), wrapperGoMod(core));
  fs.writeFileSync(path.join(dir, 'tools.go'), `//go:build tools\n\npackage tools\n\nimport _ "${POCKET_CORE_MODULE}/app/cmd/pocket_core"\n`);
  const p = progress(`pocket-core ${core.appVersion}`);
  p.info('downloading dependencies (go mod tidy; a minute or two the first time)');
  const tidy = await go(['mod', 'tidy'], dir, (l) => { if (l.startsWith('go: downloading')) p.line(l); });
  if (tidy.code !== 0) throw new PocketE2EError(`go mod tidy failed for pocket-core ${core.moduleVersion}: ${lastLine(tidy.stderr)}`, tail(tidy.stderr));
  p.info('compiling a static binary (about a minute on 2 cores)');
  const tmp = `${out}.tmp`;
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const build = await go(['build', '-trimpath', '-ldflags', '-s -w', '-o', tmp, `${POCKET_CORE_MODULE}/app/cmd/pocket_core`], dir, p.line);
  if (build.code !== 0) throw new PocketE2EError(`pocket-core ${core.moduleVersion} failed to compile: ${lastLine(build.stderr)}`, tail(build.stderr));
  fs.renameSync(tmp, out);
  p.done('compiled');
  return out;
}

/**
 * The pocket-core image for the settings: a user-supplied image as is, else a local image built
 * from the Go module at that version (reused when its tag already exists).
 */
export async function pocketCoreImage(opts: { version: string; userImage?: string; fresh?: boolean }): Promise<PocketCoreImage> {
  if (opts.userImage) {
    const id = await imageId(opts.userImage);
    if (!id) throw new PocketE2EError(`POCKET_CORE_IMAGE=${opts.userImage} is not a local image: 'docker pull ${opts.userImage}' first (nothing is pulled during a run) or unset it to build from source`);
    const appVersion = await appVersionInImage(opts.userImage, id);
    const core = await resolvePocketCore(appVersion).catch(() => undefined);
    return { image: opts.userImage, imageId: id, source: 'user-supplied', appVersion, core };
  }
  const core = await resolvePocketCore(opts.version, { fresh: opts.fresh });
  const tag = imageTagFor(core);
  const existing = await imageId(tag);
  if (existing) return { image: tag, imageId: existing, source: 'cached', appVersion: core.appVersion, core };
  const binary = await buildPocketBinary(core);
  const context = path.join(CACHE_DIR, 'images', 'pocket-core');
  writeScratchContext(context, [{ from: await staticBusybox(), to: 'bin/busybox' }, { from: binary, to: 'bin/pocket' }], [
    'WORKDIR /home/app',
    'CMD ["pocket", "version"]',
  ]);
  const id = await buildImage(context, tag, {
    [PROJECT_LABEL]: 'pocket-e2e',
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
