/**
 * The chain-law auditor's cost, written to reports/bench/audit.json (a figure, never asserted):
 *  - live: one 4-node network with traffic (sends each block); the per-test audit (the blocks of a
 *    typical test, the default item sample) timed over several windows, and a whole-session audit;
 *  - regression: what the last `npm run regression` spent auditing after each test
 *    (reports/audit-records), as a share of its wall time: Σ audit time / workers / wall time.
 * Goal (issue #17): the audit adds at most 10% to the full regression's wall time.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { auditStartedNetwork } from '../network/audit/network-audit';
import { exitWithError } from '../network/errors';
import { PocketNetwork } from '../network/pocket-network';
import { auditSettings, PROJECT_ROOT } from '../network/settings';
import { AUDIT_RECORDS_DIR } from '../fixtures/chain-audit';
import { loadPocketJs } from '../fixtures/sdk';
import { Chain } from '../fixtures/chain';
import { pocketClient } from '../fixtures/pocket';
import { RpcRecorder } from '../fixtures/rpc-client';

const OUT = path.join(PROJECT_ROOT, 'reports', 'bench', 'audit.json');
const WINDOW_BLOCKS = Number(process.env.BENCH_AUDIT_WINDOW || 8);
const WINDOWS = Number(process.env.BENCH_AUDIT_WINDOWS || 5);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function live() {
  const net = await new PocketNetwork().start();
  try {
    const { sdk } = loadPocketJs();
    // Outside a test there is no report to attach exchanges to.
    const quiet = Object.assign(new RpcRecorder(), { record: async () => undefined });
    const chain = new Chain(sdk, pocketClient(sdk, net, quiet), net.chainId, net.spec.timing.blockTimeMs);
    const [from, to] = net.keys.accounts;
    const windows: Array<{ fromHeight: number; toHeight: number; ms: number; calls: number }> = [];
    let last = (await net.node(1).height()) - 1;
    for (let w = 0; w < WINDOWS; w++) {
      // Traffic so that the audit has txs, fees and balances to check, as after a test.
      for (let b = 0; b < WINDOW_BLOCKS / 2; b++) await chain.send(from, to.address, 1_000n + BigInt(b));
      await net.waitForHeight(last + WINDOW_BLOCKS + 1);
      const started = Date.now();
      const result = await auditStartedNetwork(net, { fromHeight: last, maxItems: auditSettings().maxItems });
      const ms = Date.now() - started;
      if ('skipped' in result) throw new Error(`the audit did not run: ${result.skipped}`);
      if (result.report.violations.length) throw new Error(`the audit found violations on a healthy network: ${JSON.stringify(result.report.violations)}`);
      windows.push({ fromHeight: last, toHeight: result.toHeight, ms, calls: result.report.calls });
      last = result.toHeight;
    }
    const started = Date.now();
    const session = await auditStartedNetwork(net);
    const sessionMs = Date.now() - started;
    return {
      perTestAudit: { windowBlocks: WINDOW_BLOCKS, maxItems: auditSettings().maxItems, medianMs: median(windows.map((w) => w.ms)), windows },
      sessionAudit: 'skipped' in session ? { skipped: session.skipped } : { heights: session.report.heights, calls: session.report.calls, ms: sessionMs },
    };
  } finally {
    await net.stop();
  }
}

interface AuditRecord { test: string; worker: number; testMs: number; audits: Array<{ ms: number; violations: number; skipped?: string }> }

function regression() {
  const benchFile = path.join(PROJECT_ROOT, 'reports', 'bench', 'regression.json');
  if (!fs.existsSync(AUDIT_RECORDS_DIR) || !fs.existsSync(benchFile)) return { note: 'no regression recorded yet: run npm run regression, then npm run bench' };
  const run = JSON.parse(fs.readFileSync(benchFile, 'utf8')) as { at: string; workers: number; playwrightMs: number; args: string[]; tests: number };
  const records = fs.readdirSync(AUDIT_RECORDS_DIR).filter((f) => f.endsWith('.json')).map((f) => JSON.parse(fs.readFileSync(path.join(AUDIT_RECORDS_DIR, f), 'utf8')) as AuditRecord);
  const auditMs = records.reduce((sum, r) => sum + r.audits.reduce((s, a) => s + a.ms, 0), 0);
  const audited = records.filter((r) => r.audits.some((a) => !a.skipped)).length;
  const wallShare = auditMs / Math.max(1, run.workers) / run.playwrightMs;
  return {
    run: { at: run.at, args: run.args, full: run.args.filter((a) => !a.startsWith('-')).length === 0, tests: run.tests, workers: run.workers, playwrightMs: run.playwrightMs },
    testsWithRecords: records.length,
    testsAudited: audited,
    auditMsTotal: auditMs,
    auditMsMedianPerTest: median(records.map((r) => r.audits.reduce((s, a) => s + a.ms, 0))),
    violations: records.reduce((n, r) => n + r.audits.reduce((s, a) => s + a.violations, 0), 0),
    estimatedWallShare: Number(wallShare.toFixed(4)),
    goal: '≤ 0.10 of the full regression\'s wall time',
    method: 'Σ audit time over every test / workers / Playwright wall time: each worker audits after its own tests, in series with them',
  };
}

async function main() {
  const result = { at: new Date().toISOString(), regression: regression(), live: await live() };
  fs.mkdirSync(path.dirname(OUT), { recursive: true });
  fs.writeFileSync(OUT, JSON.stringify(result, null, 2) + '\n');
  const r = result.regression as { estimatedWallShare?: number; note?: string };
  console.log(`audit after a ${WINDOW_BLOCKS}-block test: median ${result.live.perTestAudit.medianMs} ms; regression share: ${r.estimatedWallShare !== undefined ? `${(r.estimatedWallShare * 100).toFixed(1)}%` : r.note} (reports/bench/audit.json)`);
}

main().catch(exitWithError);
