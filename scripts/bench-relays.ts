/**
 * `npm run bench:relays`: a bounded relay load (RELAY_LOAD, default 2,000 relays from every app
 * across several sessions) against a private local network. Writes relays/s and latency
 * percentiles to reports/bench/relay.json, then checks the accounting: every accepted relay is in
 * exactly one claim (claim total_proofs = relays accepted per servicer, app and session). Exits 1
 * when the accounting is off. Figures are written, never asserted as timings.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { exitWithError, PocketE2EError } from '../network/errors';
import { randomKey } from '../network/keys';
import { PocketNetwork } from '../network/pocket-network';
import { pollUntil } from '../network/poll';
import { buildRelay, sessionHeightAt } from '../network/relay-crypto';
import { rpcPost } from '../network/rpc';
import { PROJECT_ROOT } from '../network/settings';

const TOTAL = Number(process.env.RELAY_LOAD || 2000);
const CONCURRENCY = 8;
const OUT = path.join(PROJECT_ROOT, 'reports', 'bench', 'relay.json');

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function main() {
  process.env.POCKET_E2E_QUIET = '1';
  const net = await new PocketNetwork().withNodes(4).withApps(3).withAccounts(1).start();
  try {
    const url = net.node(1).rpcUrl;
    const bps = net.spec.timing.blocksPerSession;
    const height = async () => (await rpcPost<{ height: number }>(url, '/v1/query/height', {})).data.height;
    const accepted = new Map<string, number>(); // servicer|app|session → relays accepted
    const latencies: number[] = [];
    let sent = 0;
    let refused = 0;
    let relayId = 0;
    const started = Date.now();

    // Claims vanish once proven, so they are collected all along, not only at the end.
    const claimed = new Map<string, number>();
    const collect = async () => {
      for (const node of net.nodes) {
        const res = await rpcPost<{ result: Array<{ header: { app_public_key: string; session_height: number }; total_proofs: number }> | null }>(url, '/v1/query/nodeclaims', { address: node.address, height: 0 });
        for (const c of res.data.result ?? []) claimed.set(`${node.address}|${c.header.app_public_key}|${c.header.session_height}`, Number(c.total_proofs));
      }
    };
    let collecting = true;
    const collector = (async () => { while (collecting) { await collect().catch(() => undefined); await new Promise((r) => setTimeout(r, 1000)); } })();

    while (sent < TOTAL) {
      // Start each batch at a session's first block so its relays stay inside that session.
      const h = await height();
      const sessionHeight = sessionHeightAt(h, bps);
      if (h > sessionHeight) {
        await net.waitForHeight(sessionHeight + bps);
        continue;
      }
      const work: Array<() => Promise<void>> = [];
      for (const app of net.keys.apps) {
        const d = await rpcPost<{ session: { nodes: Array<{ public_key: string }> } }>(url, '/v1/client/dispatch', { app_public_key: app.publicKey, chain: '0021', session_height: sessionHeight });
        const servicers = net.nodes.filter((n) => d.data.session.nodes.some((s) => s.public_key === n.key.publicKey));
        const client = randomKey();
        for (const servicer of servicers) {
          for (let i = 0; i < 25 && sent + work.length < TOTAL; i++) {
            const id = ++relayId;
            work.push(async () => {
              const relay = buildRelay({ app, client, servicerPublicKey: servicer.key.publicKey, chain: '0021', sessionHeight, blockHeight: h, payload: { data: JSON.stringify({ jsonrpc: '2.0', id, method: 'eth_chainId', params: [] }), method: 'POST', path: '', headers: null } });
              const t0 = performance.now();
              const res = await rpcPost(servicer.rpcUrl, '/v1/client/relay', relay, 10_000);
              latencies.push(performance.now() - t0);
              if (res.status === 200) {
                const key = `${servicer.address}|${app.publicKey}|${sessionHeight}`;
                accepted.set(key, (accepted.get(key) ?? 0) + 1);
              } else refused++;
            });
          }
        }
      }
      let next = 0;
      await Promise.all(Array.from({ length: CONCURRENCY }, async () => { while (next < work.length) await work[next++](); }));
      sent += work.length;
      process.stderr.write(`[bench:relays] ${sent}/${TOTAL} relays sent (session ${sessionHeight})\n`);
    }
    const durationMs = Date.now() - started;

    // Accounting: wait until every (servicer, app, session) with enough relays has its claim.
    const minProofs = Number(net.genesis.app_state.pocketcore.params.minimum_number_of_proofs);
    const expected = [...accepted.entries()].filter(([, n]) => n >= minProofs);
    await pollUntil(async () => (expected.every(([k]) => claimed.has(k)) ? true : undefined), { timeoutMs: 120_000, intervalMs: 1000, what: 'a claim for every servicer, app and session that served relays' }).catch(() => undefined);
    collecting = false;
    await collector;
    const mismatches = expected.filter(([k, n]) => claimed.get(k) !== n).map(([k, n]) => ({ key: k, accepted: n, claimed: claimed.get(k) ?? 0 }));

    const sorted = [...latencies].sort((a, b) => a - b);
    const result = {
      network: { nodes: net.nodes.length, apps: net.keys.apps.length, blockTimeMs: net.spec.timing.blockTimeMs, pocketCore: net.image.appVersion },
      relays: { sent, accepted: sent - refused, refused },
      durationMs,
      relaysPerSecond: Math.round((sent / durationMs) * 1000 * 10) / 10,
      latencyMs: { p50: percentile(sorted, 50), p90: percentile(sorted, 90), p99: percentile(sorted, 99), max: sorted[sorted.length - 1] },
      accounting: { claimsExpected: expected.length, claimsMatched: expected.length - mismatches.length, mismatches },
    };
    fs.mkdirSync(path.dirname(OUT), { recursive: true });
    fs.writeFileSync(OUT, JSON.stringify(result, null, 2));
    console.log(JSON.stringify(result, null, 2));
    if (mismatches.length) throw new PocketE2EError(`${mismatches.length} claim(s) do not account for the relays their servicer accepted: see ${path.relative(PROJECT_ROOT, OUT)}`);
  } finally {
    await net.stop();
  }
}

main().catch(exitWithError);
