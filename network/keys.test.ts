import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addressOf, deriveKey, keyFromSecret, sign, tendermintKeyFiles, verify } from './keys';

test('address is the first 20 bytes of SHA-256 of the public key (pocket-core test vector)', () => {
  // A validator of pocket-core's own single-node e2e genesis: its public key and address.
  assert.equal(addressOf('5c34faa9f5a98d9e3bb6964ac09eede307a7b1c4e0fa028be2540e4a582dc51f'), 'c7b6a62385f8999c0cb63ad9cb464ee730c597b0');
});

test('derived keys are deterministic per seed and label, and differ across them', () => {
  assert.deepEqual(deriveKey('s', 'validator/1'), deriveKey('s', 'validator/1'));
  assert.notEqual(deriveKey('s', 'validator/1').address, deriveKey('s', 'validator/2').address);
  assert.notEqual(deriveKey('s', 'validator/1').address, deriveKey('t', 'validator/1').address);
});

test('a private key is seed ‖ public key, 64 bytes, as pocket-js and the pocket CLI take it', () => {
  const k = keyFromSecret(new Uint8Array(32).fill(7));
  assert.equal(k.privateKey.length, 128);
  assert.equal(k.privateKey.slice(64), k.publicKey);
  assert.equal(k.address, addressOf(k.publicKey));
});

test('signatures verify with the public key and fail for other bytes or keys', () => {
  const k = deriveKey('s', 'a');
  const other = deriveKey('s', 'b');
  const msg = Buffer.from('relay proof bytes');
  const sig = Buffer.from(sign(k, msg)).toString('hex');
  assert.equal(verify(k.publicKey, msg, sig), true);
  assert.equal(verify(k.publicKey, Buffer.from('tampered'), sig), false);
  assert.equal(verify(other.publicKey, msg, sig), false);
  assert.equal(verify(k.publicKey, msg, 'zz'), false);
});

test('tendermint key files carry the amino types and the upper-case validator address', () => {
  const k = deriveKey('s', 'v');
  const files = tendermintKeyFiles(k);
  const pv = JSON.parse(files['priv_val_key.json']);
  assert.equal(pv.address, k.address.toUpperCase());
  assert.equal(pv.pub_key.type, 'tendermint/PubKeyEd25519');
  assert.equal(Buffer.from(pv.pub_key.value, 'base64').toString('hex'), k.publicKey);
  assert.equal(Buffer.from(pv.priv_key.value, 'base64').length, 64);
  assert.deepEqual(JSON.parse(files['node_key.json']).priv_key, pv.priv_key);
  assert.deepEqual(JSON.parse(files['priv_val_state.json']), { height: '0', round: '0', step: 0 });
});
