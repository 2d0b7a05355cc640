import { test } from 'node:test';
import assert from 'node:assert/strict';
import { featureKeysOfCodec, govVersion } from './upgrade';
import { featureSelection } from './settings';
import { encodeStdTx, readProtoFields, stdSignBytes } from './gov-codec';

test('feature keys are the string constants of the const block that declares an UpdateKey', () => {
  const codec = [
    'package codec',
    'const (',
    '\tSomeHeight = int64(10)',
    ')',
    'const (',
    '\tUpgradeHeightX       = int64(1)',
    '\tUpgradeCodecUpdateKey = "CODEC"',
    '\tNonCustodialUpdateKey = "NCUST"',
    '\tAppTransferKey        = "AppTransfer"',
    ')',
    'var other = "NOTAKEY"',
  ].join('\n');
  assert.deepEqual(featureKeysOfCodec(codec), ['CODEC', 'NCUST', 'AppTransfer']);
  assert.deepEqual(featureKeysOfCodec('package codec\n'), []);
});

test('the gov module compares versions without their tag', () => {
  assert.equal(govVersion('RC-0.12.0'), '0.12.0');
  assert.equal(govVersion('0.9.2'), '0.9.2');
});

test('POCKET_E2E_FEATURES: mainnet by default, legacy, a list, or one line naming the fix', () => {
  assert.equal(featureSelection(undefined), 'mainnet');
  assert.equal(featureSelection('legacy'), 'legacy');
  assert.deepEqual(featureSelection('NCUST, RSCAL'), ['NCUST', 'RSCAL']);
  assert.throws(() => featureSelection('NCUST,,'), /POCKET_E2E_FEATURES=.*is not mainnet, legacy or a comma-separated list/);
});

test('a signed StdTx: sorted sign document with int64s as strings, and a length-prefixed ProtoStdTx', () => {
  const tx = { chainId: 'c', entropy: 42n, feeUpokt: 10000n };
  assert.equal(stdSignBytes({ type: 't', value: { b: 1, a: 2 } }, tx).toString(), '{"chain_id":"c","entropy":"42","fee":[{"amount":"10000","denom":"upokt"}],"memo":"","msg":{"type":"t","value":{"a":2,"b":1}}}');
  const bytes = encodeStdTx('/x.gov.MsgUpgrade', Buffer.from([1, 2]), tx, Buffer.alloc(32, 7), Buffer.alloc(64, 9));
  const length = (bytes[0] & 0x7f) | (bytes[1] << 7); // this tx is 128..16383 bytes: a two-byte varint
  assert.equal(length, bytes.length - 2, 'the varint prefix is the length of the rest');
  const fields = readProtoFields(bytes.subarray(2));
  assert.deepEqual(fields.map((f) => f.field), [1, 2, 3, 5], 'msg, fee, signature, entropy (an empty memo is omitted)');
  assert.equal(fields[3].value, 42n);
});
