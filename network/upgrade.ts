/**
 * The protocol state a network runs: pocket-core's upgrade record (codec upgrade height and
 * version, protocol features with their activation heights) and how a fresh chain gets there.
 *
 * A fresh Morse chain starts on the legacy (amino) codec with no feature on. pocket-core reads the
 * upgrade record into process globals only when a node starts on existing state or when a
 * governance upgrade is delivered, never from genesis (InitChain writes the record but leaves the
 * globals alone, so a record in genesis would make a restarted node disagree with its peers). So
 * the earliest consistent point is the first blocks: one DAO `MsgUpgrade` carrying the running
 * version and every wanted feature, all at one height. That is what mainnet did, in one step
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

/** Which protocol features a network runs: every key its version knows (mainnet), NCUST alone (legacy), or a list. */
export type FeatureProfile = 'mainnet' | 'legacy';
export const LEGACY_FEATURES = ['NCUST'] as const;

/** Blocks between submitting the upgrade and its height: delivered before it even if a block is slow. */
const UPGRADE_MARGIN = 3;

export interface ActivationTarget {
  chainId: string;
  rpcUrl: string;
  daoOwner: PocketKey;
  /** The running AppVersion (the upgrade names it, so no node halts for a newer one). */
  appVersion: string;
  features: string[];
  currentHeight: () => Promise<number>;
}

/**
 * Upgrades the codec and activates `features` with one DAO transaction signed by us (the SDK under
 * test plays no part in boot). Returns feature → activation height once the record holds them;
 * the caller waits for the height.
 */
export async function activateProtocol(t: ActivationTarget): Promise<{ height: number; features: Record<string, number> }> {
  const at = (await t.currentHeight()) + UPGRADE_MARGIN;
  const upgrade = { from: t.daoOwner.address, height: BigInt(at), version: govVersion(t.appVersion), features: t.features.map((f) => `${f}:${at}`) };
  const hex = signedGovTx(t.daoOwner, { kind: 'upgrade', fields: upgrade }, { chainId: t.chainId, entropy: BigInt(crypto.randomInt(1, 2 ** 47)), feeUpokt: MIN_TX_FEE });
  const sent = await rpcPost<{ txhash?: string; code?: number; raw_log?: string; error?: unknown }>(t.rpcUrl, '/v1/client/rawtx', { address: t.daoOwner.address, raw_hex_bytes: hex });
  if (sent.status !== 200 || !sent.data.txhash || (sent.data.code ?? 0) !== 0) {
    throw new PocketE2EError(`the DAO's protocol upgrade was refused at submission: HTTP ${sent.status} ${JSON.stringify(sent.data).slice(0, 300)}`);
  }
  const result = await committedTx(t.rpcUrl, sent.data.txhash, 'protocol upgrade');
  if (result.code !== 0) throw new PocketE2EError(`the DAO's protocol upgrade failed in block ${result.height} with code ${result.code}: ${result.log}`);
  const state = await upgradeState(t.rpcUrl);
  if (state.height !== at) throw new PocketE2EError(`the protocol upgrade was committed in block ${result.height} but /v1/query/upgrade shows height ${state.height}, not ${at}`);
  const missing = t.features.filter((f) => state.features[f] !== at);
  if (missing.length) throw new PocketE2EError(`the protocol upgrade was committed but /v1/query/upgrade lacks ${missing.join(', ')} at height ${at}`);
  return { height: at, features: state.features };
}

/** The AppVersion a running node's binary reports (`pocket version`), e.g. RC-0.12.0. */
export async function appVersionOf(node: { name: string; exec(cmd: string[]): Promise<{ stdout: string; stderr: string }> }): Promise<string> {
  const res = await node.exec(['pocket', 'version']);
  const version = parseAppVersion(res.stdout);
  if (!version) throw new PocketE2EError(`cannot read ${node.name}'s version (pocket version said: ${res.stdout.trim() || res.stderr.trim()})`);
  return version;
}

export const parseAppVersion = (pocketVersionOutput: string): string | undefined => pocketVersionOutput.match(/AppVersion:\s*(\S+)/)?.[1];
