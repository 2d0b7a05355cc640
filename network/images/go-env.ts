import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PROJECT_ROOT } from '../settings';

/**
 * The file-based Go module proxy we hand every developer and CI beside the project root
 * (`../shared/goproxy`): it serves the pocket-core release tags that this machine's module proxy
 * refuses. POCKET_E2E_GOPROXY_DIR points elsewhere; on a machine without it nothing changes.
 */
export function sharedGoProxyDir(): string | undefined {
  const dir = path.resolve(process.env.POCKET_E2E_GOPROXY_DIR || path.join(PROJECT_ROOT, '..', 'shared', 'goproxy'));
  return fs.existsSync(path.join(dir, 'github.com')) ? dir : undefined;
}

let usualProxy: string | undefined;
function configuredGoProxy(): string {
  if (process.env.GOPROXY) return process.env.GOPROXY;
  try {
    usualProxy ??= execFileSync('go', ['env', 'GOPROXY'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    usualProxy = ''; // no Go: the build step says so in its own words
  }
  return usualProxy || 'https://proxy.golang.org,direct';
}

/** GOPROXY with the shared file proxy chained first (once), else the one configured. */
export function goProxy(): string {
  const configured = configuredGoProxy();
  const shared = sharedGoProxyDir();
  if (!shared || configured.includes(`file://${shared}`)) return configured;
  return `file://${shared},${configured}`;
}

/**
 * Environment for `go` commands that build pocket-core: static (CGO off), the shared proxy first,
 * and no checksum-database lookups for pocket-network modules (a file proxy's pseudo-versions are
 * unknown to it; our wrapper's go.sum still pins what was downloaded).
 */
export function goBuildEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    GOFLAGS: '-mod=mod',
    GOPROXY: goProxy(),
    GONOSUMDB: [process.env.GONOSUMDB, 'github.com/pokt-network'].filter(Boolean).join(','),
    CGO_ENABLED: '0',
    ...extra,
  };
}
