// OPC UA Variants ↔ the driver contract's raw values. Int64/UInt64 arrive from node-opcua as
// [high, low] pairs and become bigint; DateTime becomes epoch milliseconds; ByteString bytes;
// LocalizedText its text. Arrays and structures have no tag type and are refused with a reason.
import type * as OpcUaClientApi from 'node-opcua-client';
import type { DataType, Variant } from 'node-opcua-client';
import type { TagDataType } from '../../../common/enums.ts';
import type { DriverValue } from '../driver-contract.ts';

type UaModule = typeof OpcUaClientApi;

export type Decoded = { ok: true; raw: DriverValue } | { ok: false; message: string };

function int64Of(value: unknown, unsigned: boolean): bigint | undefined {
  if (typeof value === 'bigint') return value;
  if (Array.isArray(value) && value.length === 2) {
    const combined = (BigInt((value[0] as number) >>> 0) << 32n) | BigInt((value[1] as number) >>> 0);
    return unsigned ? BigInt.asUintN(64, combined) : BigInt.asIntN(64, combined);
  }
  if (typeof value === 'number') return BigInt(Math.trunc(value));
  return undefined;
}

export function decodeVariant(ua: UaModule, variant: Variant | null | undefined): Decoded {
  if (!variant || variant.value === null || variant.value === undefined) {
    return { ok: false, message: 'the server sent no value (null)' };
  }
  if (variant.arrayType !== ua.VariantArrayType.Scalar) {
    return { ok: false, message: 'the node holds an array; map a single element (a scalar node)' };
  }
  const value: unknown = variant.value;
  switch (variant.dataType) {
    case ua.DataType.Int64:
    case ua.DataType.UInt64: {
      const big = int64Of(value, variant.dataType === ua.DataType.UInt64);
      return big === undefined ? { ok: false, message: 'an unreadable 64-bit integer' } : { ok: true, raw: big };
    }
    case ua.DataType.DateTime:
      return value instanceof Date
        ? { ok: true, raw: value.getTime() }
        : { ok: false, message: 'an unreadable DateTime' };
    case ua.DataType.ByteString:
      return Buffer.isBuffer(value)
        ? { ok: true, raw: new Uint8Array(value) }
        : { ok: false, message: 'unreadable bytes' };
    case ua.DataType.LocalizedText:
      return { ok: true, raw: String((value as { text?: unknown }).text ?? '') };
    case ua.DataType.QualifiedName:
      return { ok: true, raw: String((value as { name?: unknown }).name ?? '') };
    default:
      if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'string') {
        return { ok: true, raw: value };
      }
      return {
        ok: false,
        message: `the node's type ${ua.DataType[variant.dataType] ?? variant.dataType} has no tag data type`,
      };
  }
}

const WRITE_TYPES: Record<TagDataType, keyof typeof OpcUaClientApi.DataType> = {
  Boolean: 'Boolean',
  Int8: 'SByte',
  UInt8: 'Byte',
  Int16: 'Int16',
  UInt16: 'UInt16',
  Int32: 'Int32',
  UInt32: 'UInt32',
  Int64: 'Int64',
  UInt64: 'UInt64',
  Float: 'Float',
  Double: 'Double',
  String: 'String',
  DateTime: 'DateTime',
  ByteArray: 'ByteString',
};

/** OPC UA built-in type name → the tag data type a node of that type becomes: the inverse of
 * WRITE_TYPES, plus LocalizedText read as its text. */
const TAG_TYPE_OF_UA_TYPE: ReadonlyMap<string, TagDataType> = new Map<string, TagDataType>([
  ...Object.entries(WRITE_TYPES).map(([tagType, uaType]) => [uaType, tagType as TagDataType] as const),
  ['LocalizedText', 'String'],
]);

/** The tag data type for a node whose DataType has `typeName`; undefined when there is none. */
export function tagTypeOfUaType(typeName: string): TagDataType | undefined {
  return TAG_TYPE_OF_UA_TYPE.get(typeName);
}

/** The Variant a write of `raw` to a tag of `dataType` sends. */
export function encodeVariant(
  ua: UaModule,
  dataType: TagDataType,
  raw: DriverValue,
): { dataType: DataType; value: unknown } {
  const uaType = ua.DataType[WRITE_TYPES[dataType]];
  if (dataType === 'Int64' || dataType === 'UInt64') {
    const big = BigInt.asUintN(64, typeof raw === 'bigint' ? raw : BigInt(Math.trunc(Number(raw))));
    return { dataType: uaType, value: [Number(big >> 32n), Number(big & 0xffffffffn)] };
  }
  if (dataType === 'DateTime') return { dataType: uaType, value: new Date(Number(raw)) };
  if (dataType === 'ByteArray') return { dataType: uaType, value: Buffer.from(raw as Uint8Array) };
  if (dataType === 'Boolean') return { dataType: uaType, value: Boolean(raw) };
  if (dataType === 'String') return { dataType: uaType, value: String(raw) };
  return { dataType: uaType, value: Number(raw) };
}
