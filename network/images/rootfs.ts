import * as fs from 'node:fs';
import * as path from 'node:path';
import { PocketE2EError } from '../errors';
import { run } from '../process';

/** A file placed into an image's root filesystem. */
export interface RootfsFile {
  from: string;
  to: string;
}

/** The host's static busybox: our images' only userland (sh for exec and wait strategies, wget, ps). */
export async function staticBusybox(): Promise<string> {
  const candidate = process.env.POCKET_E2E_BUSYBOX || (await run('sh', ['-c', 'command -v busybox'])).stdout.trim();
  if (!candidate || !fs.existsSync(candidate)) {
    throw new PocketE2EError('no busybox on this machine: run `npm run setup` (installs Debian\'s busybox-static) or set POCKET_E2E_BUSYBOX to a static busybox binary');
  }
  const ldd = await run('ldd', [candidate]).catch(() => ({ code: 1, stdout: '', stderr: 'not a dynamic executable' }));
  if (ldd.code === 0 && !/not a dynamic executable|statically linked/.test(ldd.stdout + ldd.stderr)) {
    throw new PocketE2EError(`${candidate} is dynamically linked: install busybox-static (apt-get install -y busybox-static) or set POCKET_E2E_BUSYBOX`);
  }
  return candidate;
}

/** Shared libraries (and the loader) a dynamically linked binary needs, as found by the host's ldd. */
export async function sharedLibraries(binary: string): Promise<string[]> {
  const res = await run('ldd', [binary]);
  if (res.code !== 0) throw new PocketE2EError(`cannot list the libraries of ${binary} (ldd: ${res.stderr.trim()}): run on a glibc Linux host or set ANVIL_IMAGE`);
  return res.stdout
    .split('\n')
    .map((l) => l.match(/(\/\S+)\s+\(0x/)?.[1])
    .filter((p): p is string => Boolean(p));
}

/**
 * Writes a `FROM scratch` build context: the files, then busybox's applets installed as links,
 * so the image needs no base image from a registry.
 */
export function writeScratchContext(dir: string, files: RootfsFile[], dockerfileTail: string[]): void {
  fs.rmSync(dir, { recursive: true, force: true });
  const rootfs = path.join(dir, 'rootfs');
  for (const f of files) {
    const dest = path.join(rootfs, f.to);
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    fs.copyFileSync(fs.realpathSync(f.from), dest);
    fs.chmodSync(dest, 0o755);
  }
  for (const d of ['tmp', 'etc', 'home/app']) fs.mkdirSync(path.join(rootfs, d), { recursive: true });
  fs.chmodSync(path.join(rootfs, 'tmp'), 0o1777);
  fs.writeFileSync(path.join(rootfs, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000:app:/home/app:/bin/sh\n');
  fs.writeFileSync(path.join(rootfs, 'etc/group'), 'root:x:0:\napp:x:1000:\n');
  const dockerfile = [
    'FROM scratch',
    'COPY rootfs/ /',
    'RUN ["/bin/busybox", "--install", "-s", "/bin"]',
    'ENV PATH=/bin:/usr/bin HOME=/home/app',
    ...dockerfileTail,
  ];
  fs.writeFileSync(path.join(dir, 'Dockerfile'), dockerfile.join('\n') + '\n');
}
