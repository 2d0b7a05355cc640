/**
 * npm run audit -- --rpc <url> [--rpc <url2> …] [--from h] [--to h] [--budget n] [--law id …] [--strict]
 *
 * Prints each law's verdict, then one line per violation (law, height, numbers). Exit code: 1 on
 * any violation; with --strict, 2 when some law could not be audited; else 0.
 */
import { auditNetwork, type AuditReport, type AuditRequest } from './auditor';
import { LAWS } from './laws';
import { liveSource } from './source';

export interface CliArgs {
  rpc: string[];
  request: AuditRequest;
  strict: boolean;
}

const USAGE = 'usage: npm run audit -- --rpc <url> [--rpc <url> …] [--from <height>] [--to <height>] [--budget <heights>] [--law <id> …] [--strict]';

export function parseArgs(argv: string[]): CliArgs {
  const out: CliArgs = { rpc: [], request: {}, strict: false };
  const laws: string[] = [];
  const int = (flag: string, v: string | undefined) => {
    if (!v || !/^\d+$/.test(v)) throw new Error(`${flag} needs a positive integer, got ${v ?? 'nothing'}\n${USAGE}`);
    return Number(v);
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].includes('=') ? [argv[i].slice(0, argv[i].indexOf('=')), argv[i].slice(argv[i].indexOf('=') + 1)] : [argv[i], undefined];
    const value = () => inline ?? argv[++i];
    switch (flag) {
      case '--rpc': { const v = value(); if (!v || !/^https?:\/\//.test(v)) throw new Error(`--rpc needs a URL like http://127.0.0.1:8081, got ${v ?? 'nothing'}`); out.rpc.push(v); break; }
      case '--from': out.request.fromHeight = int(flag, value()); break;
      case '--to': out.request.toHeight = int(flag, value()); break;
      case '--budget': out.request.budget = int(flag, value()); break;
      case '--law': laws.push(String(value())); break;
      case '--strict': out.strict = true; break;
      case '--help': case '-h': throw new Error(`${USAGE}\nlaws: ${LAWS.map((l) => l.id).join(', ')}`);
      default: throw new Error(`unknown argument ${argv[i]}\n${USAGE}`);
    }
  }
  if (!out.rpc.length) throw new Error(`at least one --rpc is needed\n${USAGE}`);
  if (laws.length) out.request.laws = laws;
  return out;
}

export function formatReport(r: AuditReport): string[] {
  const lines = [`audited heights ${r.heights.join(', ')} (range ${r.fromHeight}..${r.toHeight}), ${r.calls} RPC calls`];
  const width = Math.max(...r.verdicts.map((v) => v.law.id.length));
  for (const v of r.verdicts) {
    const where = v.heights.length ? ` at ${v.heights.length} height(s)` : '';
    lines.push(`${v.status === 'pass' ? 'PASS' : v.status === 'fail' ? 'FAIL' : 'N/A '} ${v.law.id.padEnd(width)}  ${v.law.statement}${where}${v.violations.length ? `: ${v.violations.length} violation(s)` : ''}`);
    for (const n of v.notes) lines.push(`       not audited ${n.split('\n')[0]}`);
  }
  if (r.violations.length) lines.push('', `${r.violations.length} violation(s):`);
  for (const v of r.violations) lines.push(`VIOLATION ${v.law} at height ${v.height}: ${v.detail}`);
  return lines;
}

export function exitCode(r: AuditReport, strict: boolean): number {
  if (r.violations.length) return 1;
  return strict && r.verdicts.some((v) => v.status === 'not audited' || v.notes.length) ? 2 : 0;
}

async function main(): Promise<void> {
  let args: CliArgs;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (err) {
    console.error((err as Error).message);
    process.exit(64);
  }
  const report = await auditNetwork(liveSource(args.rpc), args.request);
  for (const line of formatReport(report)) console.log(line);
  process.exitCode = exitCode(report, args.strict);
}

if (require.main === module) {
  main().catch((err) => {
    console.error(`audit could not run: ${(err as Error).message}`);
    process.exit(3);
  });
}
