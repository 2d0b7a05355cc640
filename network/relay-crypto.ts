/**
 * pocket-core's relay hashing and signing, written from its spec so tests can check a servicer's
 * signature independently of pocket-js and build relays pocket-js would never send (forgeries).
 * Every hash is SHA3-256 over Go's encoding/json of a struct (field order as declared, map keys
 * sorted, <, > and & escaped).
 */
import { sha3_256 } from '@noble/hashes/sha3';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils';
import { sign, verify, type PocketKey } from './keys';

/** JSON.stringify as Go's json.Marshal writes it for plain data (no HTML-unsafe characters raw). */
export function goJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (v && typeof v === 'object' && !Array.isArray(v) ? sortedIfMap(v) : v))
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

const MAP_MARK = Symbol('go-map');
/** Marks an object as a Go map (keys sorted when marshalled); structs keep their declared order. */
export function goMap<T extends Record<string, string>>(m: T): T {
  return Object.assign(Object.create({ [MAP_MARK]: true }), m);
}
function sortedIfMap(v: Record<string, unknown>): Record<string, unknown> {
  if (!(MAP_MARK in v)) return v;
  return Object.fromEntries(Object.keys(v).sort().map((k) => [k, v[k]]));
}

export const sha3Hex = (s: string) => bytesToHex(sha3_256(utf8ToBytes(s)));

export interface Aat {
  version: string;
  app_pub_key: string;
  client_pub_key: string;
  signature: string;
}

export interface RelayPayload {
  data: string;
  method: string;
  path: string;
  headers: Record<string, string> | null;
}

export interface RelayProof {
  request_hash: string;
  entropy: number;
  session_block_height: number;
  servicer_pub_key: string;
  blockchain: string;
  aat: Aat;
  signature: string;
}

export interface RelayRequest {
  payload: RelayPayload;
  meta: { block_height: number };
  proof: RelayProof;
}

export function aatHash(aat: Omit<Aat, 'signature'>): string {
  return sha3Hex(goJson({ version: aat.version, app_pub_key: aat.app_pub_key, client_pub_key: aat.client_pub_key, signature: '' }));
}

/** An application authentication token: the app key vouches for a client key. */
export function signAat(app: PocketKey, clientPublicKey: string, version = '0.0.1'): Aat {
  const unsigned = { version, app_pub_key: app.publicKey, client_pub_key: clientPublicKey };
  return { ...unsigned, signature: bytesToHex(sign(app, Buffer.from(aatHash(unsigned), 'hex'))) };
}

export function requestHash(payload: RelayPayload, blockHeight: number): string {
  const headers = payload.headers === null ? null : goMap(payload.headers);
  return sha3Hex(goJson({ payload: { data: payload.data, method: payload.method, path: payload.path, headers }, meta: { block_height: blockHeight } }));
}

export function proofHash(proof: Omit<RelayProof, 'signature'>): string {
  return sha3Hex(
    goJson({
      entropy: proof.entropy,
      session_block_height: proof.session_block_height,
      servicer_pub_key: proof.servicer_pub_key,
      blockchain: proof.blockchain,
      signature: '',
      token: aatHash(proof.aat),
      request_hash: proof.request_hash,
    }),
  );
}

/** The bytes a servicer signs for its answer. */
export function responseHash(response: string, proof: Omit<RelayProof, 'signature'>): string {
  return sha3Hex(goJson({ signature: '', payload: response, Proof: proofHash(proof) }));
}

export function verifyServicerSignature(response: string, signature: string, proof: Omit<RelayProof, 'signature'>): boolean {
  return verify(proof.servicer_pub_key, Buffer.from(responseHash(response, proof), 'hex'), signature);
}

export interface RelaySpec {
  app: PocketKey;
  client: PocketKey;
  /** Signs the AAT; the app by default (a different key is a forgery). */
  aatSigner?: PocketKey;
  /** Signs the proof; the client by default (a different key is a forgery). */
  proofSigner?: PocketKey;
  servicerPublicKey: string;
  chain: string;
  sessionHeight: number;
  blockHeight: number;
  payload: RelayPayload;
  entropy?: number;
}

/** A complete relay request as POST /v1/client/relay takes it, signed as the spec says (or forged as asked). */
export function buildRelay(spec: RelaySpec): RelayRequest {
  const aat = signAat(spec.aatSigner ?? spec.app, spec.client.publicKey);
  if (spec.aatSigner) aat.app_pub_key = spec.app.publicKey;
  const unsigned = {
    request_hash: requestHash(spec.payload, spec.blockHeight),
    entropy: spec.entropy ?? Math.floor(Math.random() * Number.MAX_SAFE_INTEGER),
    session_block_height: spec.sessionHeight,
    servicer_pub_key: spec.servicerPublicKey,
    blockchain: spec.chain,
    aat,
  };
  const signature = bytesToHex(sign(spec.proofSigner ?? spec.client, Buffer.from(proofHash(unsigned), 'hex')));
  return { payload: spec.payload, meta: { block_height: spec.blockHeight }, proof: { ...unsigned, signature } };
}

/** Session start height for a block height: pocket-core's (h / BPS) * BPS + 1 (the last start at or before h). */
export function sessionHeightAt(height: number, blocksPerSession: number): number {
  return Math.floor((height - 1) / blocksPerSession) * blocksPerSession + 1;
}
