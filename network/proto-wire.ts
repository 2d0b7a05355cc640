/**
 * The few protobuf (proto3) wire rules pocket-core's transactions need: varints, length-delimited
 * fields, embedded messages. No packed fields, no negative varints. Written from the protobuf
 * encoding spec; gov-codec.ts and the typed message fixtures build their messages with these.
 */
export const LENGTH_DELIMITED = 2;
export const VARINT = 0;

export function varint(value: bigint): Buffer {
  if (value < 0n) throw new Error('negative varints are not used by these messages');
  const out: number[] = [];
  let v = value;
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) byte |= 0x80;
    out.push(byte);
  } while (v > 0n);
  return Buffer.from(out);
}

export const tag = (field: number, wireType: number) => varint(BigInt((field << 3) | wireType));
export const bytesField = (field: number, value: Buffer) => (value.length ? Buffer.concat([tag(field, LENGTH_DELIMITED), varint(BigInt(value.length)), value]) : Buffer.alloc(0));
export const stringField = (field: number, value: string) => bytesField(field, Buffer.from(value, 'utf8'));
export const int64Field = (field: number, value: bigint) => (value === 0n ? Buffer.alloc(0) : Buffer.concat([tag(field, VARINT), varint(value)]));
/** A non-nullable embedded message: gogoproto writes it even when empty. */
export const messageField = (field: number, value: Buffer) => Buffer.concat([tag(field, LENGTH_DELIMITED), varint(BigInt(value.length)), value]);

export interface ProtoField { field: number; wireType: number; value: Buffer | bigint }

/** Splits one protobuf message into its fields (enough to read a StdTx and its messages back). */
export function readProtoFields(buf: Buffer): ProtoField[] {
  const fields: ProtoField[] = [];
  let pos = 0;
  const readVarint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (pos >= buf.length) throw new Error('truncated protobuf varint');
      const byte = buf[pos++];
      result |= BigInt(byte & 0x7f) << shift;
      if (!(byte & 0x80)) return result;
      shift += 7n;
    }
  };
  while (pos < buf.length) {
    const key = Number(readVarint());
    const field = key >> 3;
    const wireType = key & 7;
    if (wireType === VARINT) fields.push({ field, wireType, value: readVarint() });
    else if (wireType === LENGTH_DELIMITED) {
      const len = Number(readVarint());
      if (pos + len > buf.length) throw new Error('truncated protobuf field');
      fields.push({ field, wireType, value: buf.subarray(pos, pos + len) });
      pos += len;
    } else throw new Error(`protobuf wire type ${wireType} is not used by pocket-core transactions`);
  }
  return fields;
}
