/**
 * `npm run bench:consensus`: how often a 4-node network with the default feature set needs more
 * than one consensus round per block while the machine is as busy as during a regression.
 *
 * Why: on pocket's tendermint, between the codec upgrade and height 30040 each node picks the
 * proposer from a hash of its own last commit as JSON (votes and the peers' +2/3 claims it
 * received), so anything that makes those differ between nodes makes them disagree on the
 * proposer, and rounds fail until they agree by chance. Those stalls were the main source of flaky
 * tests (#15); network/node-config.ts explains the setting that removed them.
 *
 * Env: BENCH_BLOCKS (default 150), BENCH_LOAD busy processes (default: one per core),
 * BENCH_COMMIT_MS (timeout_commit, default the block time). Appends to reports/bench/consensus.json.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { exitWithError } from '../network/errors';
import { PEER_MAJ23_QUERY_MS } from '../network/node-config';
import { PocketNetwork } from '../network/pocket-network';
import { rpcPost } from '../network/rpc';
import { PROJECT_ROOT } from '../network/settings';

const BLOCKS = Number(process.env.BENCH_BLOCKS || 150);
const LOAD = Number(process.env.BENCH_LOAD ?? os.cpus().length);
const COMMIT_MS = process.env.BENCH_COMMIT_MS ? Number(process.env.BENCH_COMMIT_MS) : undefined;
const OUT = path.join(PROJECT_ROOT, 'reports', 'bench', 'consensus.json');

interface BlockSample { height: number; timeMs: number; commitRound: number; missingPrecommits: number }

async function sampleBlock(rpcUrl: string, height: number): Promise<BlockSample> {
  const res = await rpcPost<any>(rpcUrl, '/v1/query/block', { height }, 10_000);
  const block = res.data?.block;
  if (res.status !== 200 || !block) throw new Error(`block ${height}: HTTP ${res.status}`);
  const precommits: Array<{ round: string | number } | null> = block.last_commit?.precommits ?? [];
  const present = precommits.filter((p): p is { round: string | number } => p !== null);
  return {
    height,
    timeMs: Date.parse(block.header.time),
    // The commit inside block h is the one for block h-1: the round that block needed.
    commitRound: present.length ? Math.max(...present.map((p) => Number(p.round))) : 0,
    missingPrecommits: precommits.length - present.length,
  };
}

function busyLoops(n: number): ChildProcess[] {
  return Array.from({ length: n }, () => spawn(process.execPath, ['-e', 'for(;;){}'], { stdio: 'ignore' }));
}

const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];

async function main() {
  let net = new PocketNetwork().withNodes(4);
  if (COMMIT_MS) net = net.withTiming({ commitTimeoutMs: COMMIT_MS });
  const started = await net.start();
  const hogs: ChildProcess[] = [];
  try {
    const from = await started.height();
    hogs.push(...busyLoops(LOAD));
    const wallStart = Date.now();
    console.log(`[bench:consensus] ${BLOCKS} blocks from height ${from} with ${LOAD} busy process(es), timeout_commit ${COMMIT_MS ?? started.spec.timing.blockTimeMs} ms`);
    await started.waitForHeight(from + BLOCKS + 1, { timeoutMs: BLOCKS * 60_000 });
    const wallMs = Date.now() - wallStart;
    hogs.forEach((h) => h.kill('SIGKILL'));
    const samples: BlockSample[] = [];
    for (let h = from + 1; h <= from + BLOCKS + 1; h++) samples.push(await sampleBlock(started.node(1).rpcUrl, h));
    const gaps = samples.slice(1).map((s, i) => s.timeMs - samples[i].timeMs);
    const extraRounds = samples.filter((s) => s.commitRound > 0);
    const result = {
      at: new Date().toISOString(),
      commitTimeoutMs: COMMIT_MS ?? started.spec.timing.blockTimeMs,
      blockTimeMs: started.spec.timing.blockTimeMs,
      peerMaj23QueryMs: PEER_MAJ23_QUERY_MS,
      busyProcesses: LOAD,
      cores: os.cpus().length,
      blocks: BLOCKS,
      wallMs,
      msPerBlock: Math.round(wallMs / BLOCKS),
      blocksNeedingMoreRounds: extraRounds.length,
      roundsLost: extraRounds.reduce((a, s) => a + s.commitRound, 0),
      maxRound: Math.max(0, ...samples.map((s) => s.commitRound)),
      commitsMissingAPrecommit: samples.filter((s) => s.missingPrecommits > 0).length,
      gapMs: { median: percentile(gaps, 0.5), p95: percentile(gaps, 0.95), max: Math.max(...gaps) },
      slowBlocks: samples.filter((s, i) => i > 0 && s.timeMs - samples[i - 1].timeMs > 3 * started.spec.timing.blockTimeMs).map((s) => s.height),
    };
    console.log(JSON.stringify(result, null, 2));
    const previous = fs.existsSync(OUT) ? (JSON.parse(fs.readFileSync(OUT, 'utf8')) as unknown[]) : [];
    fs.mkdirSync(path.dirname(OUT), { recursive: true });
    fs.writeFileSync(OUT, JSON.stringify([...previous, result], null, 2));
    console.log(`[bench:consensus] appended to ${path.relative(PROJECT_ROOT, OUT)}`);
  } finally {
    hogs.forEach((h) => h.kill('SIGKILL'));
    await started.stop();
  }
}

main().catch(exitWithError);
