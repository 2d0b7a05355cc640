import * as os from 'node:os';
import { run } from './process';
import { PROJECT_LABEL } from './settings';

export const OWNER_PID_LABEL = 'org.pocket-e2e.owner-pid';
export const OWNER_HOST_LABEL = 'org.pocket-e2e.owner-host';

/** Labels that tie a container or network to this process, so a later run can tell leftovers. */
export function ownerLabels(): Record<string, string> {
  return { [PROJECT_LABEL]: 'pocket-e2e', [OWNER_PID_LABEL]: String(process.pid), [OWNER_HOST_LABEL]: os.hostname() };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function listWithLabels(kind: 'container' | 'network'): Promise<Array<{ id: string; pid: number; host: string }>> {
  const format = `{{.ID}} {{.Label "${OWNER_PID_LABEL}"}} {{.Label "${OWNER_HOST_LABEL}"}}`;
  const args = kind === 'container' ? ['ps', '-a'] : ['network', 'ls'];
  const res = await run('docker', [...args, '--filter', `label=${PROJECT_LABEL}`, '--format', format]);
  if (res.code !== 0) return [];
  return res.stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [id, pid, host] = line.split(' ');
      return { id, pid: Number(pid), host };
    });
}

/**
 * Removes what earlier runs on this machine left (their owning process is gone): the safety net
 * behind the reaper for a run that was SIGKILLed while the reaper itself could not start.
 */
export async function reapLeftovers(): Promise<{ containers: number; networks: number }> {
  const mine = (o: { pid: number; host: string }) => o.host === os.hostname() && o.pid > 0 && !alive(o.pid);
  const containers = (await listWithLabels('container')).filter(mine).map((c) => c.id);
  if (containers.length) await run('docker', ['rm', '-f', '-v', ...containers]);
  const networks = (await listWithLabels('network')).filter(mine).map((n) => n.id);
  if (networks.length) await run('docker', ['network', 'rm', ...networks]);
  return { containers: containers.length, networks: networks.length };
}
