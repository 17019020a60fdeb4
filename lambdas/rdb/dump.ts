import { Crc64 } from './crc64';
import { corrupt } from './errors';

/**
 * Builds a DUMP/RESTORE payload: the type byte, the serialized value, the RDB
 * version as u16 little-endian, then CRC-64 of all of that, little-endian.
 */
export function buildDumpPayload(typeId: number, value: Uint8Array, rdbVersion: number): Buffer {
  const bodyLen = 1 + value.length;
  const out = Buffer.allocUnsafe(bodyLen + 10);
  out[0] = typeId;
  out.set(value, 1);
  out.writeUInt16LE(rdbVersion, bodyLen);
  const crc = new Crc64().update(out, 0, bodyLen + 2);
  crc.writeLE(out, bodyLen + 2);
  return out;
}

export interface ParsedDumpPayload {
  body: Buffer;
  rdbVersion: number;
  checksumOk: boolean;
}

/** Splits a DUMP payload into body and footer and checks its CRC. */
export function parseDumpPayload(payload: Buffer): ParsedDumpPayload {
  if (payload.length < 11) throw corrupt(`DUMP payload of ${payload.length} bytes is too short`, 0);
  const bodyEnd = payload.length - 10;
  const crc = new Crc64().update(payload, 0, bodyEnd + 2);
  return {
    body: payload.subarray(0, bodyEnd),
    rdbVersion: payload.readUInt16LE(bodyEnd),
    checksumOk: crc.matchesLE(payload, bodyEnd + 2),
  };
}
