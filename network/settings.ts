import * as path from 'node:path';
import { config as loadDotenv } from 'dotenv';
import { PocketE2EError } from './errors';
import type { FeatureSelection } from './spec';

loadDotenv({ quiet: true });

/** The pocket-core release under test by default (the newest Morse release): see README "Which pocket-core". */
export const DEFAULT_POCKET_CORE_VERSION = 'RC-0.12.0';
/**
 * The release before it, which mainnet's node runners upgrade from: the rolling-upgrade test
 * starts there. POCKET_CORE_UPGRADE_FROM overrides it.
 */
export const DEFAULT_POCKET_CORE_UPGRADE_FROM = 'RC-0.11.3';
export const upgradeFromVersion = (): string => process.env.POCKET_CORE_UPGRADE_FROM?.trim() || DEFAULT_POCKET_CORE_UPGRADE_FROM;

export const PROJECT_ROOT = path.resolve(__dirname, '..');
/** Build outputs and caches (git-ignored); override with POCKET_E2E_CACHE_DIR. */
export const CACHE_DIR = path.resolve(process.env.POCKET_E2E_CACHE_DIR || path.join(PROJECT_ROOT, '.cache'));

/** Label on every container, network and image the project creates: the reaper removes by it. */
export const PROJECT_LABEL = 'org.pocket-e2e.project';
export const RUN_LABEL = 'org.pocket-e2e.run';

function positiveInt(name: string, fallback: number, { min = 1, max = 64 } = {}): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new PocketE2EError(`${name}=${JSON.stringify(raw)} is not a whole number from ${min} to ${max}: fix it in .env or the environment (default ${fallback})`);
  }
  return value;
}

export interface Settings {
  /** Go module version of github.com/pokt-network/pocket-core: a tag, a pseudo-version or a commit the proxy serves. */
  pocketCoreVersion: string;
  /** Run this image instead of building one (must have `pocket` on PATH and /bin/sh). */
  pocketCoreImage?: string;
  /**
   * POCKET_CORE_SRC: a pocket-core working tree (absolute path) to compile as it is, uncommitted
   * changes included; takes precedence over pocketCoreVersion.
   */
  pocketCoreSource?: string;
  /** Run this image as the EVM relay target instead of the locally built anvil image (must run `anvil`). */
  anvilImage?: string;
  nodes: number;
  apps: number;
  blockTimeMs: number;
  seed?: string;
  /** POCKET_E2E_FEATURES: `mainnet` (default), `legacy`, or a comma-separated list of feature keys. */
  features: FeatureSelection;
}

export function featureSelection(raw = process.env.POCKET_E2E_FEATURES): FeatureSelection {
  const value = raw?.trim() ?? '';
  if (!value || value === 'mainnet') return 'mainnet';
  if (value === 'legacy') return 'legacy';
  const keys = value.split(',').map((k) => k.trim());
  if (keys.some((k) => !/^[A-Za-z][A-Za-z0-9]*$/.test(k))) {
    throw new PocketE2EError(`POCKET_E2E_FEATURES=${JSON.stringify(raw)} is not mainnet, legacy or a comma-separated list of feature keys (e.g. NCUST,RSCAL)`);
  }
  return keys;
}

/** How the chain-law auditor runs after each test (network/audit). */
export interface AuditSettings {
  /** POCKET_E2E_AUDIT: `on` (default) audits every network a test used once it ends; `off` skips it. */
  enabled: boolean;
  /** POCKET_E2E_AUDIT_ITEMS: items per list (accounts, nodes, apps, param keys) checked one by one at a height (default 6). */
  maxItems: number;
}

export function auditSettings(): AuditSettings {
  const raw = process.env.POCKET_E2E_AUDIT?.trim().toLowerCase() ?? '';
  if (!['', 'on', 'off'].includes(raw)) {
    throw new PocketE2EError(`POCKET_E2E_AUDIT=${JSON.stringify(process.env.POCKET_E2E_AUDIT)} is not on or off: fix it in .env or the environment (default on)`);
  }
  return { enabled: raw !== 'off', maxItems: positiveInt('POCKET_E2E_AUDIT_ITEMS', 6, { min: 1, max: 10_000 }) };
}

/**
 * POCKET_CORE_VERSIONS: a comma-separated version matrix for one regression run (each version's
 * results labelled side by side in one report); unset = the single POCKET_CORE_VERSION.
 */
export function versionMatrix(raw = process.env.POCKET_CORE_VERSIONS): string[] | undefined {
  if (raw === undefined || !raw.trim()) return undefined;
  const versions = raw.split(',').map((v) => v.trim());
  if (versions.some((v) => !v)) throw new PocketE2EError(`POCKET_CORE_VERSIONS has an empty entry (${JSON.stringify(raw)}): list versions separated by commas, e.g. POCKET_CORE_VERSIONS=RC-0.11.3,RC-0.12.0`);
  return [...new Set(versions)];
}

/**
 * POCKET_CORE_SRC as an absolute path (relative to the working directory, like any shell path).
 * It names one build, so a prebuilt image or a version matrix beside it would leave unclear what
 * is under test: both are refused.
 */
export function pocketCoreSource(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const raw = env.POCKET_CORE_SRC?.trim();
  if (!raw) return undefined;
  if (env.POCKET_CORE_IMAGE?.trim()) {
    throw new PocketE2EError(`POCKET_CORE_SRC and POCKET_CORE_IMAGE are both set: unset one (POCKET_CORE_SRC builds a pocket-core checkout, POCKET_CORE_IMAGE runs a prebuilt image)`);
  }
  if (env.POCKET_CORE_VERSIONS?.trim()) {
    throw new PocketE2EError(`POCKET_CORE_SRC and POCKET_CORE_VERSIONS are both set: unset one (POCKET_CORE_SRC tests one checkout, POCKET_CORE_VERSIONS a matrix of module versions)`);
  }
  return path.resolve(raw);
}

export function readSettings(): Settings {
  return {
    pocketCoreVersion: process.env.POCKET_CORE_VERSION?.trim() || DEFAULT_POCKET_CORE_VERSION,
    pocketCoreImage: process.env.POCKET_CORE_IMAGE?.trim() || undefined,
    pocketCoreSource: pocketCoreSource(),
    anvilImage: process.env.ANVIL_IMAGE?.trim() || undefined,
    nodes: positiveInt('POCKET_E2E_NODES', 4, { min: 1, max: 16 }),
    apps: positiveInt('POCKET_E2E_APPS', 2, { min: 1, max: 16 }),
    blockTimeMs: positiveInt('POCKET_E2E_BLOCK_MS', 1000, { min: 200, max: 60_000 }),
    seed: process.env.POCKET_E2E_SEED?.trim() || undefined,
    features: featureSelection(),
  };
}
