import { createServer, Server, Socket } from 'node:net';
import Redis from 'ioredis';
import { Capture } from '../../lambdas/capture';
import { CaptureError, CaptureErrorCode } from '../../lambdas/capture/errors';
import { RdbReader, RedisValue } from '../../lambdas/rdb';

/** Shared pieces of the capture tests: payload collection, dataset checks, a scriptable fake master. */

export async function collect(capture: Capture, delayMs = 0): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of capture.payload) {
    parts.push(chunk);
    if (delayMs > 0) await sleep(delayMs);
  }
  return Buffer.concat(parts);
}

/** Bytes as the async stream verifyRdbStream takes. */
export async function* streamOf(...chunks: Buffer[]): AsyncGenerator<Buffer> {
  for (const c of chunks) yield c;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Every key of an RDB with its decoded value (the engine's reading). */
export function readKeys(rdb: Buffer): Map<string, RedisValue> {
  const keys = new Map<string, RedisValue>();
  const reader = new RdbReader({
    onRecord: (r) => {
      if (r.kind === 'entry') keys.set(r.entry.key.toString('utf8'), r.entry.value());
    },
  });
  reader.write(rdb);
  reader.end();
  return keys;
}

/** A value reduced to comparable plain data. */
export function plain(v: RedisValue): unknown {
  switch (v.type) {
    case 'string':
      return v.value.toString('utf8');
    case 'list':
      return v.items.map((b) => b.toString('utf8'));
    case 'set':
      return v.members.map((b) => b.toString('utf8')).sort();
    case 'hash':
      return Object.fromEntries(v.fields.map((f) => [f.field.toString('utf8'), f.value.toString('utf8')]));
    case 'zset':
      return v.entries.map((e) => [e.member.toString('utf8'), e.score]);
    default:
      return v.type;
  }
}

/** The dataset the tests write: strings (short, int, long), a hash, a list, a set. Returns what the RDB must hold. */
export async function writeDataset(client: Redis, strings = 300, valueSize = 20): Promise<Map<string, unknown>> {
  const expected = new Map<string, unknown>();
  const p = client.pipeline();
  for (let i = 0; i < strings; i++) {
    const value = i % 3 === 0 ? String(i * 7) : `${'v'.repeat(valueSize)}:${i}`;
    p.set(`str:${i}`, value);
    expected.set(`str:${i}`, value);
  }
  p.hset('hash', { a: '1', b: 'two' });
  expected.set('hash', { a: '1', b: 'two' });
  p.rpush('list', 'x', 'y', 'z');
  expected.set('list', ['x', 'y', 'z']);
  p.sadd('set', 'm1', 'm2');
  expected.set('set', ['m1', 'm2']);
  await p.exec();
  return expected;
}

/** The RDB's keys as plain data. */
export function plainKeys(rdb: Buffer): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [k, v] of readKeys(rdb)) out.set(k, plain(v));
  return out;
}

/** Runs `fn` and returns the CaptureError it throws (fails the test otherwise). */
export async function captureFailure(fn: () => Promise<unknown>, code?: CaptureErrorCode): Promise<CaptureError> {
  try {
    await fn();
  } catch (e) {
    if (!(e instanceof CaptureError)) throw e;
    if (code !== undefined && e.code !== code) throw new Error(`expected ${code}, got ${e.code}: ${e.message}`);
    return e;
  }
  throw new Error(`expected a CaptureError${code !== undefined ? ` ${code}` : ''}, but it succeeded`);
}

/** Polls until `check` returns true. */
export async function eventually(check: () => Promise<boolean>, timeoutMs = 5000, stepMs = 50): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await sleep(stepMs);
  }
}

export async function connectedReplicas(client: Redis): Promise<number> {
  const info = await client.info('replication');
  const m = /connected_slaves:(\d+)/.exec(info);
  return m ? Number(m[1]) : -1;
}

/** Splits RESP arrays of bulk strings out of a byte stream (what a client sends). */
class CommandParser {
  private buf = Buffer.alloc(0);

  push(data: Buffer): string[][] {
    this.buf = Buffer.concat([this.buf, data]);
    const out: string[][] = [];
    for (;;) {
      const cmd = this.next();
      if (cmd === null) return out;
      out.push(cmd);
    }
  }

  private next(): string[] | null {
    const b = this.buf;
    if (b.length === 0 || b[0] !== 0x2a) return null;
    let pos = b.indexOf('\r\n');
    if (pos < 0) return null;
    const n = Number(b.subarray(1, pos).toString());
    pos += 2;
    const args: string[] = [];
    for (let i = 0; i < n; i++) {
      const end = b.indexOf('\r\n', pos);
      if (end < 0) return null;
      const len = Number(b.subarray(pos + 1, end).toString());
      if (b.length < end + 2 + len + 2) return null;
      args.push(b.subarray(end + 2, end + 2 + len).toString('latin1'));
      pos = end + 2 + len + 2;
    }
    this.buf = b.subarray(pos);
    return args;
  }
}

export type FakeReply = string | Buffer | ((socket: Socket, args: string[]) => void | Promise<void>);

export interface FakeMasterOptions {
  /** Replies by upper-case command name; defaults answer AUTH/REPLCONF with +OK and INFO with a Redis 7.0 INFO. */
  replies?: Record<string, FakeReply>;
}

export const FAKE_INFO = '# Server\r\nredis_version:7.0.99\r\nredis_mode:standalone\r\n\r\n# Replication\r\nrole:master\r\nconnected_slaves:0\r\n';

export function bulk(text: string): string {
  return `$${Buffer.byteLength(text)}\r\n${text}\r\n`;
}

/** A scriptable server speaking just enough of the protocol for the capture handshake. */
export class FakeMaster {
  readonly sockets: Socket[] = [];
  readonly commands: string[][] = [];

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(options: FakeMasterOptions = {}): Promise<FakeMaster> {
    const replies: Record<string, FakeReply> = { AUTH: '+OK\r\n', REPLCONF: '+OK\r\n', INFO: bulk(FAKE_INFO), ...options.replies };
    let fake: FakeMaster | null = null;
    const server = createServer((socket) => {
      fake?.sockets.push(socket);
      socket.setNoDelay(true);
      socket.on('error', () => undefined);
      const parser = new CommandParser();
      let queue = Promise.resolve();
      socket.on('data', (d: Buffer) => {
        for (const args of parser.push(d)) {
          fake?.commands.push(args);
          const reply = replies[args[0]!.toUpperCase()];
          queue = queue.then(async () => {
            if (socket.destroyed) return;
            if (reply === undefined) socket.write(`-ERR unknown command '${args[0]}', with args beginning with: \r\n`);
            else if (typeof reply === 'function') await reply(socket, args);
            else socket.write(reply);
          });
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const addr = server.address();
    fake = new FakeMaster(server, typeof addr === 'object' && addr !== null ? addr.port : 0);
    return fake;
  }

  get endpoint(): { host: string; port: number } {
    return { host: '127.0.0.1', port: this.port };
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** A 40-character hex mark, as a diskless master would choose. */
export const MARK = 'abcdef0123456789abcdef0123456789abcdef01';
export const REPLID = '8593ecf858cfebf5eb4fdf0d633b069744612383';
