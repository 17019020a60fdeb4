/** A byte string in export JSON: text when it is valid UTF-8 without control characters, else base64. */
export type JsonBytes = string | { base64: string };

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

export function jsonBytes(buf: Buffer): JsonBytes {
  const text = buf.toString('utf8');
  if (!CONTROL.test(text) && Buffer.byteLength(text, 'utf8') === buf.length && Buffer.from(text, 'utf8').equals(buf)) return text;
  return { base64: buf.toString('base64') };
}

/** Inverse of jsonBytes. */
export function bytesFromJson(value: JsonBytes): Buffer {
  return typeof value === 'string' ? Buffer.from(value, 'utf8') : Buffer.from(value.base64, 'base64');
}
