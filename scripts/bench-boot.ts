/**
 * `npm run bench`: boot benchmark. For 1, 4 and 8 nodes, 3 boots each (start → block 1 on every
 * node, images cached, no governance), the same 4-node network run as plain host processes from
 * the same binary and configs (the container overhead ratio), and the network tests get: 4 nodes
 * up with the default (mainnet) feature set, codec upgraded and every feature on.
 * Writes reports/bench/boot.json. Targets (not asserted): 4-node boot ≤ 8 s, ratio ≤ 1.3,
 * default feature set ≤ 6 s.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { exitWithError, PocketE2EError } from '../network/errors';
import { buildGenesis, deriveNetworkKeys } from '../network/genesis';
import { pocketCoreImageFor, buildPocketBinary } from '../network/images/pocket-core';
import { tendermintKeyFiles } from '../network/keys';
import { chainsJson, nodeConfig } from '../network/node-config';
import { PocketNetwork } from '../network/pocket-network';
import { pollUntil } from '../network/poll';
import { freePort } from '../network/ports';
import { queryHeight } from '../network/rpc';
import { PROJECT_ROOT, readSettings } from '../network/settings';
import { defaultSpec, POCKET_CHAIN } from '../network/spec';

const RUNS = Number(process.env.BENCH_RUNS || 3);
const OUT = path.join(PROJECT_ROOT, 'reports', 'bench', 'boot.json');

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const summary = (xs: number[]) => ({ medianMs: median(xs), minMs: Math.min(...xs), maxMs: Math.max(...xs), runsMs: xs });

/** What a test's network costs: the default spec (anvil too) with every feature of the version on. */
async function defaultFeaturesBoot(): Promise<number> {
  const started = Date.now();
  const net = await new PocketNetwork().withNodes(4).withFeatureProfile('mainnet').start();
  const ms = Date.now() - started;
  await net.stop();
  return ms;
}

async function containerBoot(nodes: number): Promise<number> {
  const started = Date.now();
  // Like for like with the host-process run: chain 0001 only (no anvil container).
  const net = await new PocketNetwork().withNodes(nodes).withApps(1).withAccounts(1).withFeatures().withChains(POCKET_CHAIN).start();
  const ms = Date.now() - started;
  await net.stop();
  return ms;
}

/** The same 4-node network as host processes: same binary, genesis and configs, loopback ports. */
async function rawProcessBoot(binary: string, nodes: number): Promise<number> {
  const spec = defaultSpec({ nodes, apps: 1, accounts: 1, chains: [POCKET_CHAIN], features: [], nodeFlags: [], seed: `bench-${Date.now()}` });
  const keys = deriveNetworkKeys(spec);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pocket-e2e-bench-'));
  const ports = await Promise.all(keys.validators.map(async () => ({ p2p: await freePort(), tm: await freePort(), rpc: await freePort(), prom: await freePort() })));
  const genesis = JSON.stringify(buildGenesis(spec, keys, new Date(), ports.map((p) => `http://127.0.0.1:${p.rpc}`)));
  const children: ChildProcess[] = [];
  const started = Date.now();
  try {
    keys.validators.forEach((key, i) => {
      const dir = path.join(root, `node${i + 1}`);
      fs.mkdirSync(path.join(dir, 'config'), { recursive: true });
      const peers = keys.validators.map((k, j) => ({ k, j })).filter(({ j }) => j !== i).map(({ k, j }) => `${k.address}@127.0.0.1:${ports[j].p2p}`);
      const cfg = nodeConfig(spec, `node${i + 1}`, peers);
      cfg.tendermint_config.P2P.ListenAddress = `tcp://127.0.0.1:${ports[i].p2p}`;
      cfg.tendermint_config.RPC.ListenAddress = `tcp://127.0.0.1:${ports[i].tm}`;
      const pocketConfig = { ...cfg.pocket_config, rpc_port: String(ports[i].rpc), tendermint_uri: `tcp://127.0.0.1:${ports[i].tm}`, pocket_prometheus_port: String(ports[i].prom) };
      fs.writeFileSync(path.join(dir, 'config', 'config.json'), JSON.stringify({ ...cfg, pocket_config: pocketConfig }));
      fs.writeFileSync(path.join(dir, 'config', 'genesis.json'), genesis);
      fs.writeFileSync(path.join(dir, 'config', 'chains.json'), JSON.stringify(chainsJson(spec.chains, '127.0.0.1')));
      for (const [f, c] of Object.entries(tendermintKeyFiles(key))) fs.writeFileSync(path.join(dir, f), c);
      children.push(spawn(binary, ['start', `--datadir=${dir}`, '--keybase=false'], { stdio: 'ignore' }));
    });
    await pollUntil(async () => {
      const heights = await Promise.all(ports.map((p) => queryHeight(`http://127.0.0.1:${p.rpc}`).catch(() => -1)));
      return Math.min(...heights) >= 1 ? true : undefined;
    }, { timeoutMs: 90_000, intervalMs: 100, what: 'block 1 on every host process' });
    return Date.now() - started;
  } finally {
    for (const c of children) c.kill('SIGKILL');
    fs.rmSync(root, { recursive: true, force: true });
  }
}

async function main() {
  const settings = readSettings();
  const image = await pocketCoreImageFor(settings);
  if (!image.core) throw new PocketE2EError('the benchmark compares containers with host processes of the same binary: unset POCKET_CORE_IMAGE so the binary is built');
  const binary = await buildPocketBinary(image.core);
  process.env.POCKET_E2E_QUIET = '1';

  const result: Record<string, unknown> = { pocketCore: image.core.appVersion, commit: image.core.commit, runs: RUNS, machine: { cpus: os.cpus().length, memoryGiB: Math.round(os.totalmem() / 2 ** 30) }, nodes: {} };
  for (const n of [1, 4, 8]) {
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      times.push(await containerBoot(n));
      console.error(`[bench] ${n} node(s), containers, run ${i + 1}: ${times[times.length - 1]} ms`);
    }
    (result.nodes as Record<string, unknown>)[String(n)] = summary(times);
  }
  const withFeatures: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    withFeatures.push(await defaultFeaturesBoot());
    console.error(`[bench] 4 node(s), default feature set, run ${i + 1}: ${withFeatures[withFeatures.length - 1]} ms`);
  }
  result.defaultFeatures4 = summary(withFeatures);
  const raw: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    raw.push(await rawProcessBoot(binary, 4));
    console.error(`[bench] 4 node(s), host processes, run ${i + 1}: ${raw[raw.length - 1]} ms`);
  }
  result.rawProcess4 = summary(raw);
  const c4 = ((result.nodes as Record<string, { medianMs: number }>)['4']).medianMs;
  result.ratio4 = Math.round((c4 / median(raw)) * 100) / 100;
  const f4 = median(withFeatures);
  result.targets = { boot4MaxMs: 8000, ratio4Max: 1.3, defaultFeatures4MaxMs: 6000, boot4Met: c4 <= 8000, ratioMet: (result.ratio4 as number) <= 1.3, defaultFeatures4Met: f4 <= 6000 };
  fs.mkdirSync(path.dirname(OUT), { recursive: true });
  fs.writeFileSync(OUT, JSON.stringify(result, null, 2));
  console.log(JSON.stringify(result, null, 2));
}

main().catch(exitWithError);
