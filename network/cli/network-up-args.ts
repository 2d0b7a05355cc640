import { PocketE2EError } from '../errors';

export interface Args {
  nodes?: number;
  apps?: number;
  json: boolean;
  /** Audit the chain's laws over the whole session before removing the network (default on). */
  audit: boolean;
}

const USAGE = 'usage: npm run network:up -- [--nodes N] [--apps N] [--json] [--no-audit]';

export function parseArgs(argv: string[]): Args {
  const args: Args = { json: false, audit: true };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const count = (name: string): number => {
      const raw = argv[++i];
      const n = Number(raw);
      if (raw === undefined || !/^\d+$/.test(raw) || !Number.isInteger(n) || n < (name === 'nodes' ? 1 : 0) || n > 16) {
        throw new PocketE2EError(`--${name} ${raw === undefined ? '(missing)' : JSON.stringify(raw)} is not a whole number from ${name === 'nodes' ? 1 : 0} to 16: ${USAGE}`);
      }
      return n;
    };
    if (flag === '--json') args.json = true;
    else if (flag === '--no-audit') args.audit = false;
    else if (flag === '--nodes') args.nodes = count('nodes');
    else if (flag === '--apps') args.apps = count('apps');
    else if (flag.startsWith('--nodes=')) { argv.splice(i + 1, 0, flag.slice(8)); args.nodes = count('nodes'); }
    else if (flag.startsWith('--apps=')) { argv.splice(i + 1, 0, flag.slice(7)); args.apps = count('apps'); }
    else throw new PocketE2EError(`unknown argument ${JSON.stringify(flag)}: ${USAGE}`);
  }
  return args;
}
