import { ed25519 } from '@noble/curves/ed25519';
import { sha256 } from '@noble/hashes/sha256';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils';

/**
 * An ed25519 account key the way pocket-core and pocket-js spell it:
 * the address is the first 20 bytes of SHA-256(public key), the private key is seed‖public key.
 */
export interface PocketKey {
  /** 40 lowercase hex chars. */
  address: string;
  /** 64 hex chars (32 bytes). */
  publicKey: string;
  /** 128 hex chars (seed ‖ public key), the format pocket-js `withPrivateKey` and `pocket accounts import-raw` take. */
  privateKey: string;
}

/** Derives a key from a label, so a network built from the same seed has the same keys (reproducible failures). */
export function deriveKey(seed: string, label: string): PocketKey {
  const secret = sha256(utf8ToBytes(`pocket-e2e/${seed}/${label}`));
  return keyFromSecret(secret);
}

export function randomKey(): PocketKey {
  return keyFromSecret(ed25519.utils.randomPrivateKey());
}

export function keyFromSecret(secret: Uint8Array): PocketKey {
  const pub = ed25519.getPublicKey(secret);
  return {
    address: addressOf(pub),
    publicKey: bytesToHex(pub),
    privateKey: bytesToHex(secret) + bytesToHex(pub),
  };
}

export function addressOf(publicKey: Uint8Array | string): string {
  const bytes = typeof publicKey === 'string' ? Buffer.from(publicKey, 'hex') : publicKey;
  return bytesToHex(sha256(bytes).slice(0, 20));
}

/** Signs bytes with a PocketKey (used to build forged or hand-made messages in tests). */
export function sign(key: PocketKey, message: Uint8Array): Uint8Array {
  return ed25519.sign(message, Buffer.from(key.privateKey.slice(0, 64), 'hex'));
}

export function verify(publicKeyHex: string, message: Uint8Array, signatureHex: string): boolean {
  try {
    return ed25519.verify(Buffer.from(signatureHex, 'hex'), message, Buffer.from(publicKeyHex, 'hex'));
  } catch {
    return false;
  }
}

/** Tendermint's amino-JSON key files: a node's validator key doubles as its P2P node key. */
export interface TendermintKeyFiles {
  'priv_val_key.json': string;
  'node_key.json': string;
  'priv_val_state.json': string;
}

export function tendermintKeyFiles(key: PocketKey): TendermintKeyFiles {
  const pub = Buffer.from(key.publicKey, 'hex').toString('base64');
  const priv = Buffer.from(key.privateKey, 'hex').toString('base64');
  const privKey = { type: 'tendermint/PrivKeyEd25519', value: priv };
  return {
    'priv_val_key.json': JSON.stringify(
      { address: key.address.toUpperCase(), pub_key: { type: 'tendermint/PubKeyEd25519', value: pub }, priv_key: privKey },
      null,
      2,
    ),
    'node_key.json': JSON.stringify({ priv_key: privKey }, null, 2),
    'priv_val_state.json': JSON.stringify({ height: '0', round: '0', step: 0 }, null, 2),
  };
}
