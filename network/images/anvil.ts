import * as path from 'node:path';
import { PocketE2EError } from '../errors';
import { buildImage, imageId } from '../docker';
import { CACHE_DIR, PROJECT_LABEL } from '../settings';
import { sharedLibraries, staticBusybox, writeScratchContext } from './rootfs';

export interface AnvilImage {
  image: string;
  imageId: string;
  version: string;
  source: 'built' | 'cached' | 'user-supplied';
}

function anvilBinary(): { path: string; version: string } {
  try {
    const pkg = require.resolve('@foundry-rs/anvil-linux-amd64/package.json');
    const version: string = require('@foundry-rs/anvil-linux-amd64/package.json').version;
    return { path: path.join(path.dirname(pkg), 'bin', 'anvil'), version };
  } catch {
    throw new PocketE2EError('the anvil binary is missing (npm package @foundry-rs/anvil-linux-amd64): run `npm ci` on linux/amd64, or set ANVIL_IMAGE to an image with anvil (e.g. ghcr.io/foundry-rs/foundry)');
  }
}

/** The EVM relay target: Foundry's anvil from its npm package, with the glibc it links against. */
export async function anvilImage(userImage?: string): Promise<AnvilImage> {
  if (userImage) {
    const id = await imageId(userImage);
    if (!id) throw new PocketE2EError(`ANVIL_IMAGE=${userImage} is not a local image: 'docker pull ${userImage}' first or unset it`);
    return { image: userImage, imageId: id, version: 'user-supplied', source: 'user-supplied' };
  }
  const bin = anvilBinary();
  const tag = `pocket-e2e/anvil:${bin.version}`;
  const existing = await imageId(tag);
  if (existing) return { image: tag, imageId: existing, version: bin.version, source: 'cached' };
  const libs = await sharedLibraries(bin.path);
  const context = path.join(CACHE_DIR, 'images', 'anvil');
  writeScratchContext(
    context,
    [
      { from: await staticBusybox(), to: 'bin/busybox' },
      { from: bin.path, to: 'usr/bin/anvil' },
      ...libs.map((lib) => ({ from: lib, to: lib })),
    ],
    ['EXPOSE 8545', 'CMD ["anvil", "--host", "0.0.0.0", "--port", "8545"]'],
  );
  const id = await buildImage(context, tag, { [PROJECT_LABEL]: 'pocket-e2e', 'org.pocket-e2e.anvil.version': bin.version });
  return { image: tag, imageId: id, version: bin.version, source: 'built' };
}
