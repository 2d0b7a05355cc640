import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PocketE2EError } from '../errors';
import { buildImage, imageId } from '../docker';
import { lastLine, run } from '../process';
import { CACHE_DIR, PROJECT_LABEL } from '../settings';
import { writeScratchContext, staticBusybox } from './rootfs';

const SOURCE_DIR = path.join(__dirname, 'reaper');

/**
 * Our Ryuk-compatible reaper image (testcontainers/ryuk cannot be pulled here), tagged by the
 * hash of its source so a change rebuilds it. Returns the image name for RYUK_CONTAINER_IMAGE.
 */
export async function reaperImage(): Promise<string> {
  const source = fs.readFileSync(path.join(SOURCE_DIR, 'main.go'));
  const tag = `pocket-e2e/reaper:${crypto.createHash('sha256').update(source).digest('hex').slice(0, 12)}`;
  if (await imageId(tag)) return tag;
  const binary = path.join(CACHE_DIR, 'bin', 'reaper');
  fs.mkdirSync(path.dirname(binary), { recursive: true });
  const res = await run('go', ['build', '-trimpath', '-ldflags', '-s -w', '-o', binary, '.'], {
    cwd: SOURCE_DIR,
    env: { ...process.env, CGO_ENABLED: '0', GOFLAGS: '' },
  });
  if (res.code !== 0) throw new PocketE2EError(`the reaper failed to compile: ${lastLine(res.stderr)}`);
  writeScratchContext(path.join(CACHE_DIR, 'images', 'reaper'), [
    { from: await staticBusybox(), to: 'bin/busybox' },
    { from: binary, to: 'bin/reaper' },
  ], ['EXPOSE 8080', 'CMD ["/bin/reaper"]']);
  await buildImage(path.join(CACHE_DIR, 'images', 'reaper'), tag, { [PROJECT_LABEL]: 'pocket-e2e', 'org.testcontainers.ryuk': 'true' });
  return tag;
}
