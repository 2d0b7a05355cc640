/**
 * `npm run network:up -- [--nodes N] [--apps N] [--json] [--no-audit]`: a standalone network for
 * manual work. Prints one JSON line once the network is up (with --json) and stays up until Ctrl-C
 * or SIGTERM. It then audits the chain's laws over the session (network/audit; exit code 1 on a
 * violation) and removes every container and the Docker network.
 */
import { exitWithError } from '../errors';
import { parseArgs } from './network-up-args';
import { PocketNetwork, type StartedPocketNetwork } from '../pocket-network';
import { formatReport } from '../audit/cli';
import { auditStartedNetwork } from '../audit/network-audit';

/** The session's audit, printed to stderr: true when a law was broken. */
async function auditSession(net: StartedPocketNetwork): Promise<boolean> {
  process.stderr.write('[pocket-e2e] auditing the chain laws over the session (--no-audit skips this)\n');
  try {
    const result = await auditStartedNetwork(net);
    if ('skipped' in result) {
      process.stderr.write(`[pocket-e2e] audit skipped: ${result.skipped}\n`);
      return false;
    }
    for (const line of formatReport(result.report)) process.stderr.write(`${line}\n`);
    return result.report.violations.length > 0;
  } catch (err) {
    process.stderr.write(`[pocket-e2e] audit could not run: ${(err as Error).message.split('\n')[0]}\n`);
    return false;
  }
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const builder = new PocketNetwork();
  if (args.nodes !== undefined) builder.withNodes(args.nodes);
  if (args.apps !== undefined) builder.withApps(args.apps);

  let net: StartedPocketNetwork | undefined;
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    const violated = net && args.audit ? await auditSession(net) : false;
    process.stderr.write(`[pocket-e2e] ${signal}: removing the network\n`);
    await net?.stop();
    process.exit(violated ? 1 : signal === 'SIGINT' ? 130 : 143);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  net = await builder.start();
  if (stopping) return;
  const d = net.describe();
  if (args.json) {
    process.stdout.write(JSON.stringify({ chainId: d.chainId, nodes: d.nodes, accounts: d.accounts, apps: d.apps, daoOwner: d.daoOwner, chains: d.chains, features: d.features, pocketCore: d.pocketCore }) + '\n');
  } else {
    process.stdout.write(`network ${d.chainId} is up (${d.pocketCore.appVersion ?? d.pocketCore.image}); Ctrl-C removes it\n`);
    for (const n of d.nodes) process.stdout.write(`  ${n.name}  ${n.rpc}  ${n.address}\n`);
    for (const c of d.chains) process.stdout.write(`  chain ${c.id} (${c.name})  ${c.url}\n`);
    process.stdout.write(`  features: ${JSON.stringify(d.features)}\n  logs, genesis, configs: ${d.runDir}\n`);
  }
  // Stay up until a signal arrives.
  setInterval(() => undefined, 1 << 30);
}

main().catch(exitWithError);
