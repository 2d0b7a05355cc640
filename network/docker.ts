import { PocketE2EError } from './errors';
import { lastLine, run, tail } from './process';
import { progress } from './images/progress';

const NO_ENGINE =
  'no Docker engine answers: run `npm run setup:docker` (installs and starts one on Debian as root) or start Docker Desktop / `sudo systemctl start docker`';

/** Fails with one actionable line when the Docker CLI or engine is missing. */
export async function assertDockerEngine(): Promise<string> {
  const res = await run('docker', ['version', '--format', '{{.Server.Version}}']).catch((err: unknown) => {
    if (err instanceof PocketE2EError) throw new PocketE2EError(`the docker CLI is not installed: ${NO_ENGINE}`);
    throw err;
  });
  if (res.code !== 0 || !res.stdout.trim()) throw new PocketE2EError(NO_ENGINE, lastLine(res.stderr));
  return res.stdout.trim();
}

export async function imageId(tag: string): Promise<string | undefined> {
  const res = await run('docker', ['image', 'inspect', '--format', '{{.Id}}', tag]);
  return res.code === 0 ? res.stdout.trim() : undefined;
}

/**
 * Builds an image with the classic builder (no buildx on Debian's docker.io), streaming each
 * build step as progress. A failure names the image and the failing line.
 */
export async function buildImage(contextDir: string, tag: string, labels: Record<string, string>): Promise<string> {
  const p = progress(`image ${tag}`);
  p.info('building');
  const args = ['build', '--force-rm', '-t', tag];
  for (const [k, v] of Object.entries(labels)) args.push('--label', `${k}=${v}`);
  args.push(contextDir);
  const res = await run('docker', args, {
    env: { ...process.env, DOCKER_BUILDKIT: '0' },
    onLine: (line) => { if (/^Step \d+\/\d+/.test(line)) p.line(line); },
  });
  if (res.code !== 0) {
    throw new PocketE2EError(`image ${tag} failed to build: ${lastLine(res.stderr || res.stdout)}`, tail(res.stdout + res.stderr));
  }
  p.done('built');
  const id = await imageId(tag);
  if (!id) throw new PocketE2EError(`image ${tag} was built but docker cannot find it: check 'docker images'`);
  return id;
}
