/**
 * The protocol state a network runs: pocket-core's upgrade record (codec upgrade height and
 * version, protocol features with their activation heights) and how a fresh chain gets there.
 *
 * A fresh Morse chain starts on the legacy (amino) codec with no feature on. pocket-core reads the
 * upgrade record into process globals only when a node starts on existing state or when a
 * governance upgrade is delivered after the codec upgrade, never from genesis (InitChain writes
 * the record but leaves the globals alone, so a record in genesis would make a restarted node
 * disagree with its peers). So the earliest consistent point is the first blocks: the DAO's codec
 * upgrade, then one feature upgrade with every wanted key: what mainnet did, in two steps
 * instead of a dozen.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { committedTx } from './dao-cli';
import { PocketE2EError } from './errors';
import { signedGovTx } from './gov-codec';
import type { PocketKey } from './keys';
import { rpcPost } from './rpc';
import { MIN_TX_FEE } from './spec';

export interface UpgradeState {
  height: number;
  version: string;
  features: Record<string, number>;
}

export async function upgradeState(rpcUrl: string): Promise<UpgradeState> {
  const res = await rpcPost<{ Height?: number | string; Version?: string; Features?: string[] | null }>(rpcUrl, '/v1/query/upgrade', { height: 0 });
  const features = Object.fromEntries((res.data?.Features ?? []).map((f) => { const [k, h] = f.split(':'); return [k, Number(h)]; }));
  return { height: Number(res.data?.Height ?? 0), version: String(res.data?.Version ?? ''), features };
}

/** An AppVersion as the gov module compares it in upgrade records: without its tag (RC-0.12.0 → 0.12.0). */
export function govVersion(appVersion: string): string {
  return appVersion.includes('-') ? appVersion.split('-').slice(1).join('-') : appVersion;
}

/**
 * The protocol feature keys a pocket-core version knows: the string constants of the const block
 * in its codec/codec.go that names the feature keys (CODEC, NCUST, ..., RewardDelegators).
 */
export function featureKeysOfCodec(codecGo: string): string[] {
  const block = codecGo.split(/\nconst \(/).slice(1).map((b) => b.slice(0, b.indexOf('\n)'))).find((b) => /UpdateKey\s*=\s*"/.test(b));
  if (!block) return [];
  return [...block.matchAll(/^\s*\w+\s*=\s*"([A-Za-z][\w]*)"/gm)].map((m) => m[1]);
}

export function featureKeysOfModule(moduleDir: string): string[] {
  const file = path.join(moduleDir, 'codec', 'codec.go');
  if (!fs.existsSync(file)) throw new PocketE2EError(`${file} is missing: ${moduleDir} is not a pocket-core tree`);
  const keys = featureKeysOfCodec(fs.readFileSync(file, 'utf8'));
  if (!keys.length) throw new PocketE2EError(`no protocol feature keys found in ${file}: set POCKET_E2E_FEATURES to a comma-separated list of keys`);
  return keys;
}

/** The `legacy` feature profile: NCUST alone, what pocket-js 0.9.x's v8 staking messages need. */
export const LEGACY_FEATURES = ['NCUST'] as const;

/** Blocks between submitting an upgrade and its height: delivered before it even if a block is slow. */
const UPGRADE_MARGIN = 3;
/** pocket-core marks a feature-only upgrade with this version and height (its CLI's `gov enable`). */
export const FEATURE_UPGRADE = { version: 'FEATURE', height: 1n } as const;

export interface ActivationTarget {
  chainId: string;
  rpcUrl: string;
  daoOwner: PocketKey;
  /** The running AppVersion (the upgrade names it, so no node halts for a newer one). */
  appVersion: string;
  features: string[];
  currentHeight: () => Promise<number>;
  waitForHeight: (height: number) => Promise<unknown>;
}

export interface ActivatedProtocol {
  codecHeight: number;
  features: Record<string, number>;
}

/**
 * The DAO's two upgrades, signed by us (the SDK under test plays no part in boot):
 * 1. MsgUpgrade to the running version at a height: the codec switches to protobuf there;
 * 2. once that height is reached, one feature upgrade (version FEATURE) with every key at one
 *    later height. It must come after the codec upgrade: before it, pocket-core's gov handler
 *    stores the features in the upgrade record but never loads them into the running process, so
 *    the record would claim features no node applies until it restarts.
 * Returns once every node has passed the features' height (or the codec's, with no features).
 */
export async function activateProtocol(t: ActivationTarget): Promise<ActivatedProtocol> {
  const codecHeight = (await t.currentHeight()) + UPGRADE_MARGIN;
  await submitUpgrade(t, { height: BigInt(codecHeight), version: govVersion(t.appVersion) }, 'codec upgrade');
  const record = await upgradeState(t.rpcUrl);
  if (record.height !== codecHeight) throw new PocketE2EError(`the codec upgrade was committed but /v1/query/upgrade shows height ${record.height}, not ${codecHeight}`);
  if (!t.features.length) {
    await t.waitForHeight(codecHeight);
    return { codecHeight, features: record.features };
  }
  // Only once the codec height is committed is the state converted: a check before it reads the
  // DAO's still-amino account with the new codec and answers "account does not exist".
  await t.waitForHeight(codecHeight);
  const at = (await t.currentHeight()) + UPGRADE_MARGIN;
  await submitUpgrade(t, { height: FEATURE_UPGRADE.height, version: FEATURE_UPGRADE.version, features: t.features.map((f) => `${f}:${at}`) }, 'feature upgrade');
  const state = await upgradeState(t.rpcUrl);
  const missing = t.features.filter((f) => state.features[f] !== at);
  if (missing.length) throw new PocketE2EError(`the feature upgrade was committed but /v1/query/upgrade lacks ${missing.join(', ')} at height ${at}`);
  await t.waitForHeight(at);
  return { codecHeight, features: state.features };
}

async function submitUpgrade(t: ActivationTarget, upgrade: { height: bigint; version: string; features?: string[] }, what: string): Promise<void> {
  const fields = { from: t.daoOwner.address, ...upgrade };
  const hex = signedGovTx(t.daoOwner, { kind: 'upgrade', fields }, { chainId: t.chainId, entropy: BigInt(crypto.randomInt(1, 2 ** 47)), feeUpokt: MIN_TX_FEE });
  const sent = await rpcPost<{ txhash?: string; code?: number }>(t.rpcUrl, '/v1/client/rawtx', { address: t.daoOwner.address, raw_hex_bytes: hex });
  if (sent.status !== 200 || !sent.data.txhash || (sent.data.code ?? 0) !== 0) {
    throw new PocketE2EError(`the DAO's ${what} was refused at submission: HTTP ${sent.status} ${JSON.stringify(sent.data).slice(0, 300)}`);
  }
  const result = await committedTx(t.rpcUrl, sent.data.txhash, what);
  if (result.code !== 0) throw new PocketE2EError(`the DAO's ${what} failed in block ${result.height} with code ${result.code}: ${result.log}`);
}

/** The AppVersion a running node's binary reports (`pocket version`), e.g. RC-0.12.0. */
export async function appVersionOf(node: { name: string; exec(cmd: string[]): Promise<{ stdout: string; stderr: string }> }): Promise<string> {
  const res = await node.exec(['pocket', 'version']);
  const version = parseAppVersion(res.stdout);
  if (!version) throw new PocketE2EError(`cannot read ${node.name}'s version (pocket version said: ${res.stdout.trim() || res.stderr.trim()})`);
  return version;
}

export const parseAppVersion = (pocketVersionOutput: string): string | undefined => pocketVersionOutput.match(/AppVersion:\s*(\S+)/)?.[1];
