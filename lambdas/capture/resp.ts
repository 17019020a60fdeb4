import { closedError, protocolError } from './failures';
import { ReadWait, SocketReader } from './socket-reader';

/**
 * A minimal RESP2 reader and writer for handshakes and polling: simple strings,
 * errors, integers, bulk strings and arrays, read straight off raw bytes so the
 * same socket can be read as a raw byte stream afterwards.
 */

export type RespReply =
  | { type: 'simple'; value: string }
  | { type: 'error'; value: string }
  | { type: 'integer'; value: number }
  | { type: 'bulk'; value: Buffer | null }
  | { type: 'array'; value: RespReply[] | null };

/** Longest reply line accepted; anything longer is not a Redis reply. */
export const MAX_LINE = 64 << 10;
/** Largest bulk string accepted in a handshake reply (INFO is a few KB). */
const MAX_BULK = 64 << 20;

/** A command as a RESP array of bulk strings. */
export function encodeCommand(args: ReadonlyArray<string | Buffer>): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const a of args) {
    const b = typeof a === 'string' ? Buffer.from(a, 'utf8') : a;
    parts.push(Buffer.from(`$${b.length}\r\n`), b, Buffer.from('\r\n'));
  }
  return Buffer.concat(parts);
}

/**
 * One line (terminated by LF, optional CR removed) as latin1 text; null when the
 * connection ends first. Lines longer than `maxLength` are a protocol error.
 */
export async function readLine(reader: SocketReader, wait: ReadWait, maxLength = MAX_LINE): Promise<string | null> {
  const parts: Buffer[] = [];
  let length = 0;
  for (;;) {
    const chunk = await reader.read(wait);
    if (chunk === null) return null;
    const nl = chunk.indexOf(0x0a);
    if (nl >= 0) {
      parts.push(chunk.subarray(0, nl));
      reader.unshift(chunk.subarray(nl + 1));
      let line = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
      if (line.length > 0 && line[line.length - 1] === 0x0d) line = line.subarray(0, line.length - 1);
      return line.toString('latin1');
    }
    parts.push(chunk);
    length += chunk.length;
    if (length > maxLength) throw protocolError(reader.target, wait, 'a reply line', Buffer.concat(parts).subarray(0, 120));
  }
}

/** Exactly `n` bytes; null when the connection ends first. */
export async function readExact(reader: SocketReader, n: number, wait: ReadWait): Promise<Buffer | null> {
  const parts: Buffer[] = [];
  let have = 0;
  while (have < n) {
    const chunk = await reader.read(wait);
    if (chunk === null) return null;
    const take = Math.min(chunk.length, n - have);
    parts.push(chunk.subarray(0, take));
    reader.unshift(chunk.subarray(take));
    have += take;
  }
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
}

function closed(reader: SocketReader, wait: ReadWait): Error {
  return closedError(reader.target, wait, reader.closeReason, reader.closeCause ?? undefined);
}

/** Reads one reply. A connection that ends mid-reply is CAPTURE_CLOSED. */
export async function readReply(reader: SocketReader, wait: ReadWait): Promise<RespReply> {
  for (;;) {
    const line = await readLine(reader, wait);
    if (line === null) throw closed(reader, wait);
    if (line === '') continue; // a keep-alive newline
    const rest = line.slice(1);
    switch (line[0]) {
      case '+':
        return { type: 'simple', value: rest };
      case '-':
        return { type: 'error', value: rest };
      case ':': {
        const n = Number(rest);
        if (!Number.isFinite(n) || !/^-?\d+$/.test(rest)) throw protocolError(reader.target, wait, 'an integer reply', line);
        return { type: 'integer', value: n };
      }
      case '$': {
        const n = Number(rest);
        if (!/^-?\d+$/.test(rest) || n < -1 || n > MAX_BULK) throw protocolError(reader.target, wait, 'a bulk string length', line);
        if (n === -1) return { type: 'bulk', value: null };
        const data = await readExact(reader, n + 2, wait);
        if (data === null) throw closed(reader, wait);
        if (data[n] !== 0x0d || data[n + 1] !== 0x0a) throw protocolError(reader.target, wait, 'CRLF after a bulk string', data.subarray(n));
        return { type: 'bulk', value: data.subarray(0, n) };
      }
      case '*': {
        const n = Number(rest);
        if (!/^-?\d+$/.test(rest) || n < -1 || n > 1_000_000) throw protocolError(reader.target, wait, 'an array length', line);
        if (n === -1) return { type: 'array', value: null };
        const items: RespReply[] = [];
        for (let i = 0; i < n; i++) items.push(await readReply(reader, wait));
        return { type: 'array', value: items };
      }
      default:
        throw protocolError(reader.target, wait, 'a RESP reply', line);
    }
  }
}

/** The reply as one line of text, for messages and matching. */
export function replyText(reply: RespReply): string {
  switch (reply.type) {
    case 'simple':
      return `+${reply.value}`;
    case 'error':
      return `-${reply.value}`;
    case 'integer':
      return `:${reply.value}`;
    case 'bulk':
      return reply.value === null ? '$-1' : reply.value.toString('latin1');
    case 'array':
      return reply.value === null ? '*-1' : `[${reply.value.map(replyText).join(', ')}]`;
  }
}
