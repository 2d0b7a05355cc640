/**
 * The build steps every pocket-core image shares, whatever its source (a Go module version or a
 * local working tree, POCKET_CORE_SRC): a wrapper module, a static compile, a `FROM scratch`
 * image with busybox. What differs between the sources is only what the wrapper requires.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PocketE2EError } from '../errors';
import { lastLine, run, tail } from '../process';
import { CACHE_DIR, PROJECT_LABEL } from '../settings';
import { buildImage } from '../docker';
import { goBuildEnv } from './go-env';
import { progress } from './progress';
import { staticBusybox, writeScratchContext } from './rootfs';
import type { ResolvedPocketCore } from './pocket-core';

export const POCKET_CORE_MODULE = 'github.com/pokt-network/pocket-core';
/** The main package of the `pocket` binary, inside the module. */
export const POCKET_CORE_MAIN = 'app/cmd/pocket_core';
/** The version Go gives a module whose every use is replaced by a directory. */
const REPLACED_MODULE_VERSION = 'v0.0.0-00010101000000-000000000000';

export async function go(args: string[], cwd: string, onLine?: (l: string) => void) {
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

/** The release part of tags and binary names: `RC-0.12.0` → `rc-0.12.0`. */
export const releaseSlug = (appVersion: string): string => appVersion.toLowerCase().replace(/[^a-z0-9_.-]/g, '-');

/**
 * Docker tag for a build: names the release and the commit, e.g. `rc-0.9.2-60cf936bf536`; for a
 * local tree the release and the tree's identity, e.g. `rc-0.12.0-src-60ce9a128dbb-dirty-0a1b2c3d4e5f`.
 */
export function imageTagFor(core: Pick<ResolvedPocketCore, 'appVersion' | 'commit' | 'localTree'>): string {
  return `pocket-e2e/pocket-core:${releaseSlug(core.appVersion)}-${core.localTree?.identity ?? core.commit.slice(0, 12)}`;
}

/**
 * The wrapper module: requires pocket-core and repeats its replaces (go install refuses modules
 * with replaces). A local tree is required at Go's placeholder version and replaced by its
 * directory, so the tree is compiled as it is on disk.
 */
export function wrapperGoMod(core: Pick<ResolvedPocketCore, 'moduleVersion' | 'replaces' | 'localTree'>): string {
  const tree = core.localTree;
  return [
    'module pocket_e2e_build',
    '',
    'go 1.21',
    '',
    `require ${POCKET_CORE_MODULE} ${tree ? REPLACED_MODULE_VERSION : core.moduleVersion}`,
    '',
    ...(tree ? [`replace ${POCKET_CORE_MODULE} => ${tree.dir}`] : []),
    ...core.replaces.map((r) => `replace ${r}`),
    '',
  ].join('\n');
}

/**
 * Names a build on disk (binary, wrapper module): the module version, or for a local tree the
 * release and the tree's identity, so the binary cache follows the same identity as the image tag.
 */
export function buildKey(core: Pick<ResolvedPocketCore, 'moduleVersion' | 'appVersion' | 'localTree'>): string {
  return core.localTree ? `${releaseSlug(core.appVersion)}-${core.localTree.identity}` : core.moduleVersion;
}

export const binaryPath = (core: Pick<ResolvedPocketCore, 'moduleVersion' | 'appVersion' | 'localTree'>): string => path.join(CACHE_DIR, 'bin', `pocket-${buildKey(core)}`);

/** What a failure message calls the source: the setting that chose it. */
const subject = (core: Pick<ResolvedPocketCore, 'moduleVersion' | 'localTree'>): string =>
  core.localTree ? `POCKET_CORE_SRC=${core.localTree.dir}` : `pocket-core ${core.moduleVersion}`;

/**
 * The first `file.go:line:col: message` line of Go's output, with the file relative to the tree
 * (Go prints it relative to the wrapper module, absolute, or under the module path with -trimpath).
 */
export function firstCompilerError(output: string, buildDir: string, treeDir?: string): { line: string; count: number } | undefined {
  const errors = output.split('\n').map((l) => l.trim().match(/^(\S+\.go):(\d+)(?::(\d+))?: (.+)$/)).filter((m): m is RegExpMatchArray => Boolean(m));
  if (!errors.length) return undefined;
  const [, file, line, col, message] = errors[0];
  let shown = file;
  if (file.startsWith(`${POCKET_CORE_MODULE}/`)) shown = file.slice(POCKET_CORE_MODULE.length + 1);
  else if (treeDir) {
    const rel = path.relative(treeDir, path.resolve(buildDir, file));
    if (!rel.startsWith('..')) shown = rel;
  }
  return { line: `${shown}:${line}${col ? `:${col}` : ''}: ${message}`, count: errors.length };
}

function buildFailure(core: ResolvedPocketCore, step: string, stderr: string, buildDir: string): PocketE2EError {
  const tree = core.localTree;
  const compiler = firstCompilerError(stderr, buildDir, tree?.dir);
  const why = compiler ? `${compiler.line}${compiler.count > 1 ? ` (and ${compiler.count - 1} more)` : ''}` : lastLine(stderr);
  const fix = tree ? 'fix the tree, or unset POCKET_CORE_SRC' : 'choose another POCKET_CORE_VERSION, or set POCKET_CORE_IMAGE to a prebuilt image';
  // A developer's own compile error is the whole story in one line; anything else keeps Go's tail.
  return new PocketE2EError(`${subject(core)} ${step}: ${why}: ${fix}`, compiler && tree ? undefined : tail(stderr));
}

/** Builds a static `pocket` binary of that source (CGO off: pure-Go secp256k1 and goleveldb). */
export async function buildPocketBinary(core: ResolvedPocketCore): Promise<string> {
  const out = binaryPath(core);
  if (fs.existsSync(out)) return out;
  const dir = path.join(CACHE_DIR, 'go-build', buildKey(core));
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'go.mod'), wrapperGoMod(core));
  fs.writeFileSync(path.join(dir, 'tools.go'), `//go:build tools\n\npackage tools\n\nimport _ "${POCKET_CORE_MODULE}/${POCKET_CORE_MAIN}"\n`);
  const p = progress(`pocket-core ${core.appVersion}${core.localTree ? ` (${core.localTree.dir})` : ''}`);
  p.info('downloading dependencies (go mod tidy; a minute or two the first time)');
  const tidy = await go(['mod', 'tidy'], dir, (l) => { if (l.startsWith('go: downloading')) p.line(l); });
  if (tidy.code !== 0) throw buildFailure(core, 'cannot resolve its dependencies (go mod tidy)', tidy.stderr, dir);
  p.info('compiling a static binary (about a minute on 2 cores)');
  // Per process: two workers that meet an unbuilt tree at once must not write the same file.
  const tmp = `${out}.${process.pid}.tmp`;
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const build = await go(['build', '-trimpath', '-ldflags', '-s -w', '-o', tmp, `${POCKET_CORE_MODULE}/${POCKET_CORE_MAIN}`], dir, p.line);
  if (build.code !== 0) throw buildFailure(core, 'does not compile', build.stderr, dir);
  fs.renameSync(tmp, out);
  p.done('compiled');
  return out;
}

/** The `FROM scratch` image around a binary: busybox for the shell, `pocket` on PATH. */
export async function buildPocketCoreImage(binary: string, tag: string, labels: Record<string, string>): Promise<string> {
  fs.mkdirSync(path.join(CACHE_DIR, 'images'), { recursive: true });
  // A context per build: global setup and a worker may build different pocket-core images at once.
  const context = fs.mkdtempSync(path.join(CACHE_DIR, 'images', 'pocket-core-'));
  try {
    writeScratchContext(context, [{ from: await staticBusybox(), to: 'bin/busybox' }, { from: binary, to: 'bin/pocket' }], [
      'WORKDIR /home/app',
      'CMD ["pocket", "version"]',
    ]);
    return await buildImage(context, tag, { [PROJECT_LABEL]: 'pocket-e2e', ...labels });
  } finally {
    fs.rmSync(context, { recursive: true, force: true });
  }
}
