/**
 * pocket-core's governance messages (x/gov: MsgDAOTransfer, MsgChangeParam, MsgUpgrade) and the
 * protobuf StdTx that carries one, encoded by us. The network layer signs the DAO's boot-time
 * upgrade with them (no SDK under test involved); fixtures/gov-messages.ts puts the same messages
 * on pocket-js's own TxMsg machinery for the governance suites.
 *
 * The protobuf layouts follow pocket-core's proto/x/gov/gov.proto and proto/x/auth/auth.proto
 * (read, not copied); tests check the bytes against transactions built by pocket-core's own CLI.
 */
import { sign, type PocketKey } from './keys';
import { bytesField, int64Field, messageField, readProtoFields, stringField, varint } from './proto-wire';

export { readProtoFields, type ProtoField } from './proto-wire';

/**
 * The message of a protobuf-encoded transaction as the node stores it (`/v1/query/tx` → `tx`,
 * base64): a varint length prefix, then ProtoStdTx whose field 1 is the `Any` message.
 */
export function messageOfTx(txBase64: string): { typeUrl: string; value: Buffer } {
  const raw = Buffer.from(txBase64, 'base64');
  let pos = 0;
  while (raw[pos] & 0x80) pos++;
  const stdTx = readProtoFields(raw.subarray(pos + 1));
  const any = stdTx.find((f) => f.field === 1)?.value;
  if (!Buffer.isBuffer(any)) throw new Error('the transaction has no message (not a protobuf StdTx?)');
  const parts = readProtoFields(any);
  const typeUrl = parts.find((f) => f.field === 1)?.value;
  const value = parts.find((f) => f.field === 2)?.value;
  if (!Buffer.isBuffer(typeUrl) || !Buffer.isBuffer(value)) throw new Error('the transaction message is not a protobuf Any');
  return { typeUrl: typeUrl.toString('utf8'), value };
}

// --- the messages ------------------------------------------------------------------------------

export type DaoAction = 'dao_transfer' | 'dao_burn';

export interface DaoTransferFields { from: string; to: string; amount: bigint; action: DaoAction }
export interface ChangeParamFields { from: string; key: string; /** The param's amino JSON, e.g. '"1001"' for an int64. */ valueJson: string }
export interface UpgradeFields { from: string; height: bigint; version: string; features?: string[] }

const hex = (address: string) => Buffer.from(address, 'hex');

export const GOV_TYPE_URLS = {
  daoTransfer: '/x.gov.MsgDAOTransfer',
  changeParam: '/x.gov.MsgChangeParam',
  upgrade: '/x.gov.MsgUpgrade',
} as const;

export function encodeDaoTransfer(m: DaoTransferFields): Buffer {
  return Buffer.concat([bytesField(1, hex(m.from)), bytesField(2, hex(m.to)), stringField(3, m.amount.toString()), stringField(4, m.action)]);
}

export function encodeChangeParam(m: ChangeParamFields): Buffer {
  return Buffer.concat([bytesField(1, hex(m.from)), stringField(2, m.key), bytesField(3, Buffer.from(m.valueJson, 'utf8'))]);
}

export function encodeUpgrade(m: UpgradeFields): Buffer {
  const upgrade = Buffer.concat([int64Field(1, m.height), stringField(2, m.version), ...(m.features ?? []).map((f) => stringField(4, f))]);
  return Buffer.concat([bytesField(1, hex(m.from)), messageField(2, upgrade)]);
}

/** The sorted amino JSON `GetSignBytes` of each message (int64 as strings, bytes as base64, empty fields omitted). */
export function signDocOf(kind: keyof typeof GOV_TYPE_URLS, m: DaoTransferFields | ChangeParamFields | UpgradeFields): object {
  switch (kind) {
    case 'daoTransfer': {
      const t = m as DaoTransferFields;
      return { type: 'gov/msg_dao_transfer', value: { action: t.action, amount: t.amount.toString(), from_address: t.from.toLowerCase(), to_address: t.to.toLowerCase() } };
    }
    case 'changeParam': {
      const c = m as ChangeParamFields;
      return { type: 'gov/msg_change_param', value: { address: c.from.toLowerCase(), param_key: c.key, param_value: Buffer.from(c.valueJson, 'utf8').toString('base64') } };
    }
    case 'upgrade': {
      const u = m as UpgradeFields;
      const upgrade: Record<string, unknown> = {};
      if (u.features?.length) upgrade.Features = u.features;
      upgrade.Height = u.height.toString();
      upgrade.Version = u.version;
      return { type: 'gov/msg_upgrade', value: { address: u.from.toLowerCase(), upgrade } };
    }
  }
}

export const ENCODERS = { daoTransfer: encodeDaoTransfer, changeParam: encodeChangeParam, upgrade: encodeUpgrade } as const;

// --- one signed transaction ---------------------------------------------------------------------

export interface StdTxFields {
  chainId: string;
  /** Replay protection in place of a sequence number: any int64 the signer has not used. */
  entropy: bigint;
  feeUpokt: bigint;
  memo?: string;
}

/** Keys sorted at every level, as pocket-core's `sdk.MustSortJSON` writes a sign document. */
export function sortedJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(sortedJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${sortedJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** `StdSignBytes`: the sorted amino JSON of {chain_id, entropy, fee, memo, msg}, int64s as strings. */
export function stdSignBytes(msgSignDoc: object, tx: StdTxFields): Buffer {
  const doc = { chain_id: tx.chainId, entropy: tx.entropy.toString(), fee: [{ amount: tx.feeUpokt.toString(), denom: 'upokt' }], memo: tx.memo ?? '', msg: msgSignDoc };
  return Buffer.from(sortedJson(doc), 'utf8');
}

/** A varint length prefix, then ProtoStdTx {msg Any, fee Coin, signature {publicKey, signature}, memo, entropy}. */
export function encodeStdTx(typeUrl: string, msg: Buffer, tx: StdTxFields, publicKey: Buffer, signature: Buffer): Buffer {
  const any = Buffer.concat([stringField(1, typeUrl), bytesField(2, msg)]);
  const coin = Buffer.concat([stringField(1, 'upokt'), stringField(2, tx.feeUpokt.toString())]);
  const sig = Buffer.concat([bytesField(1, publicKey), bytesField(2, signature)]);
  const body = Buffer.concat([messageField(1, any), messageField(2, coin), messageField(3, sig), stringField(4, tx.memo ?? ''), int64Field(5, tx.entropy)]);
  return Buffer.concat([varint(BigInt(body.length)), body]);
}

export type GovMessage =
  | { kind: 'daoTransfer'; fields: DaoTransferFields }
  | { kind: 'changeParam'; fields: ChangeParamFields }
  | { kind: 'upgrade'; fields: UpgradeFields };

/** One governance message signed by `signer` as a protobuf StdTx: the hex `/v1/client/rawtx` takes. */
export function signedGovTx(signer: PocketKey, message: GovMessage, tx: StdTxFields): string {
  const bytes = (ENCODERS[message.kind] as (f: GovMessage['fields']) => Buffer)(message.fields);
  const signature = Buffer.from(sign(signer, stdSignBytes(signDocOf(message.kind, message.fields), tx)));
  return encodeStdTx(GOV_TYPE_URLS[message.kind], bytes, tx, Buffer.from(signer.publicKey, 'hex'), signature).toString('hex');
}
