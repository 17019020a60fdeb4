import { EofMarkScanner } from './eof-mark';
import { closedError, truncatedError } from './failures';
import { SocketReader } from './socket-reader';

/** The two framings of a replication payload, as async generators of RDB bytes. */

/** '$<len>': exactly `declared` bytes; a connection that ends first is CAPTURE_TRUNCATED. Bytes after the payload are left unread. */
export async function* lengthPayload(reader: SocketReader, declared: number, idleMs: number): AsyncGenerator<Buffer> {
  let received = 0;
  while (received < declared) {
    const chunk = await reader.read({ phase: 'payload', timeoutMs: idleMs, bytesReceived: received });
    if (chunk === null) throw truncatedError(reader.target, received, declared, reader.closeReason, reader.closeCause ?? undefined);
    const take = Math.min(chunk.length, declared - received);
    received += take;
    yield take === chunk.length ? chunk : chunk.subarray(0, take);
  }
}

/** '$EOF:<mark>': bytes up to the mark (never the mark itself); a connection that ends first is CAPTURE_CLOSED. */
export async function* markPayload(reader: SocketReader, mark: Buffer, idleMs: number): AsyncGenerator<Buffer> {
  const scanner = new EofMarkScanner(mark);
  let received = 0;
  while (!scanner.done) {
    const chunk = await reader.read({ phase: 'payload', timeoutMs: idleMs, bytesReceived: received + scanner.heldBack });
    if (chunk === null) {
      throw closedError(reader.target, { phase: 'payload', bytesReceived: received + scanner.heldBack }, reader.closeReason, reader.closeCause ?? undefined);
    }
    const data = scanner.push(chunk);
    received += data.length;
    if (data.length > 0) yield data;
  }
}
