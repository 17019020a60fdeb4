import { readFileSync } from 'node:fs';
import { createServer, Server, Socket } from 'node:net';
import { join } from 'node:path';
import { captureReplication } from '../../lambdas/capture';
import { RdbError, verifyRdbStream } from '../../lambdas/rdb';
import { FIXTURES_DIR } from '../helpers/fixtures';
import { bulk, captureFailure, collect, FakeMaster, FakeMasterOptions, MARK, REPLID, sleep, streamOf } from './helpers';

/**
 * Faults a real server cannot be made to produce on demand, served by a fake
 * master: marks split across reads at every offset, cut payloads, odd replies,
 * old servers, stalls.
 */

const RDB = readFileSync(join(FIXTURES_DIR, 'redis-7.0-types.rdb'));
const fast = { connectMs: 2000, replyMs: 2000, startMs: 2000, idleMs: 2000 };

let fakes: FakeMaster[] = [];
async function fake(options: FakeMasterOptions): Promise<FakeMaster> {
  const f = await FakeMaster.start(options);
  fakes.push(f);
  return f;
}
afterEach(async () => {
  await Promise.all(fakes.map((f) => f.close()));
  fakes = [];
});

/** Two writes that arrive as two reads: no Nagle, and a pause between them. */
async function writeSplit(socket: Socket, first: Buffer, second: Buffer): Promise<void> {
  socket.write(first);
  await sleep(15);
  if (second.length > 0) socket.write(second);
}

describe('diskless $EOF: framing', () => {
  test('the mark is found when it straddles two reads at each of its 40 offsets (and when whole in either read)', async () => {
    let split = 0;
    const master = await fake({
      replies: {
        PSYNC: async (socket) => {
          // Keep-alive newlines before and after +FULLRESYNC, as a master waiting for its fork sends them.
          socket.write(`\n\n+FULLRESYNC ${REPLID} 1234\r\n\n\n$EOF:${MARK}\r\n`);
          const all = Buffer.concat([RDB, Buffer.from(MARK)]);
          await writeSplit(socket, all.subarray(0, RDB.length + split), all.subarray(RDB.length + split));
          // The connection stays open: the capture must end on the mark, not on a close.
        },
      },
    });
    for (split = 0; split <= 40; split++) {
      const capture = await captureReplication({ endpoint: master.endpoint, timeouts: fast });
      const payload = await collect(capture);
      expect({ split, equal: payload.equals(RDB) }).toEqual({ split, equal: true });
      expect(capture.info).toMatchObject({ framing: 'eof-marker', replId: REPLID, replOffset: 1234, syncCommand: 'PSYNC' });
    }
  });

  test('newlines after the mark (servers before redis PR #11296) are not payload', async () => {
    const master = await fake({
      replies: {
        PSYNC: (socket) => {
          socket.write(`+FULLRESYNC ${REPLID} 0\r\n$EOF:${MARK}\r\n`);
          socket.write(Buffer.concat([RDB, Buffer.from(`${MARK}\n\n`)]));
        },
      },
    });
    const capture = await captureReplication({ endpoint: master.endpoint, timeouts: fast });
    expect((await collect(capture)).equals(RDB)).toBe(true);
  });

  test('a connection that ends before the mark is CAPTURE_CLOSED with the bytes received', async () => {
    const master = await fake({
      replies: {
        PSYNC: (socket) => {
          socket.write(`+FULLRESYNC ${REPLID} 0\r\n$EOF:${MARK}\r\n`);
          socket.end(RDB.subarray(0, 1000));
        },
      },
    });
    const capture = await captureReplication({ endpoint: master.endpoint, timeouts: fast });
    const err = await captureFailure(() => collect(capture), 'CAPTURE_CLOSED');
    expect(err.context.phase).toBe('payload');
    expect(err.context.bytesReceived).toBe(1000);
  });
});

describe('disk-based $<len> framing', () => {
  test('exactly the declared bytes are the payload; a command stream after it is not', async () => {
    const master = await fake({
      replies: {
        PSYNC: async (socket) => {
          socket.write(`+FULLRESYNC ${REPLID} 77\r\n\n`);
          await writeSplit(socket, Buffer.from(`$${RDB.length}\r\n`), Buffer.concat([RDB, Buffer.from('*1\r\n$4\r\nPING\r\n')]));
        },
      },
    });
    const capture = await captureReplication({ endpoint: master.endpoint, timeouts: fast });
    expect(capture.info).toMatchObject({ framing: 'length', declaredBytes: RDB.length, replOffset: 77 });
    expect((await collect(capture)).equals(RDB)).toBe(true);
  });

  test('a payload cut short is CAPTURE_TRUNCATED, not a snapshot', async () => {
    const master = await fake({
      replies: {
        PSYNC: (socket) => {
          socket.write(`+FULLRESYNC ${REPLID} 0\r\n$${RDB.length}\r\n`);
          socket.end(RDB.subarray(0, 5000));
        },
      },
    });
    const capture = await captureReplication({ endpoint: master.endpoint, timeouts: fast });
    const err = await captureFailure(() => collect(capture), 'CAPTURE_TRUNCATED');
    expect(err.context).toMatchObject({ bytesReceived: 5000, declaredBytes: RDB.length, phase: 'payload' });
    expect(err.message).toMatch(/5000 of \d+ declared bytes/);
  });

  test('a payload whose CRC-64 is wrong comes through unchanged; verification rejects it', async () => {
    const bad = Buffer.from(RDB);
    bad[bad.length - 1] ^= 0xff;
    const master = await fake({
      replies: {
        PSYNC: (socket) => {
          socket.write(`+FULLRESYNC ${REPLID} 0\r\n$${bad.length}\r\n`);
          socket.write(bad);
        },
      },
    });
    const capture = await captureReplication({ endpoint: master.endpoint, timeouts: fast });
    const payload = await collect(capture);
    expect(payload.equals(bad)).toBe(true);
    const err = await verifyRdbStream(streamOf(payload)).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(RdbError);
    expect((err as RdbError).code).toBe('RDB_CHECKSUM_MISMATCH');
  });
});

describe('old servers and odd replies', () => {
  test('a server without rdb-only and PSYNC: SYNC fallback, no +FULLRESYNC, length framing', async () => {
    const master = await fake({
      replies: {
        INFO: bulk('# Server\r\nredis_version:2.8.24\r\n'),
        REPLCONF: (socket, args) => {
          socket.write(args[1] === 'rdb-only' ? '-ERR Unrecognized REPLCONF option: rdb-only\r\n' : '+OK\r\n');
        },
        SYNC: (socket) => {
          socket.write(`\n\n$${RDB.length}\r\n`);
          socket.write(RDB);
          socket.write('*1\r\n$4\r\nPING\r\n');
        },
      },
    });
    const capture = await captureReplication({ endpoint: master.endpoint, timeouts: fast });
    expect(capture.info).toEqual({ method: 'replication', framing: 'length', declaredBytes: RDB.length, syncCommand: 'SYNC', server: { engine: 'redis', version: '2.8.24' } });
    expect((await collect(capture)).equals(RDB)).toBe(true);
    expect(master.commands.map((c) => c[0])).toEqual(['INFO', 'REPLCONF', 'REPLCONF', 'PSYNC', 'SYNC']);
  });

  test('Valkey is recognised from INFO', async () => {
    const master = await fake({
      replies: {
        INFO: bulk('# Server\r\nredis_version:7.2.4\r\nserver_name:valkey\r\nvalkey_version:8.0.1\r\n# Replication\r\nrole:slave\r\n'),
        PSYNC: (socket) => {
          socket.write(`+FULLRESYNC ${REPLID} 0\r\n$${RDB.length}\r\n`);
          socket.write(RDB);
        },
      },
    });
    const capture = await captureReplication({ endpoint: master.endpoint, timeouts: fast });
    expect(capture.info.server).toEqual({ engine: 'valkey', version: '8.0.1', role: 'slave' });
    await capture.close();
  });

  test('a server that closes during the handshake is CAPTURE_CLOSED naming the phase', async () => {
    const master = await fake({ replies: { REPLCONF: (socket) => void socket.destroy() } });
    const err = await captureFailure(() => captureReplication({ endpoint: master.endpoint, timeouts: fast }), 'CAPTURE_CLOSED');
    expect(err.context).toMatchObject({ phase: 'reply', command: 'REPLCONF capa', host: '127.0.0.1', port: master.port });
  });

  test('an unexpected reply is CAPTURE_PROTOCOL and is quoted', async () => {
    const master = await fake({ replies: { PSYNC: 'HTTP/1.1 400 Bad Request\r\n' } });
    const err = await captureFailure(() => captureReplication({ endpoint: master.endpoint, timeouts: fast }), 'CAPTURE_PROTOCOL');
    expect(err.message).toContain('"HTTP/1.1 400 Bad Request"');
  });

  test('an error line where the payload should start is a typed error', async () => {
    const master = await fake({ replies: { PSYNC: `+FULLRESYNC ${REPLID} 0\r\n\n-ERR BGSAVE failed, replication can't continue\r\n` } });
    const err = await captureFailure(() => captureReplication({ endpoint: master.endpoint, timeouts: fast }), 'CAPTURE_BGSAVE_FAILED');
    expect(err.message).toContain('BGSAVE failed');
  });

  test('a replica whose master link is down refuses for now (transient)', async () => {
    const master = await fake({ replies: { PSYNC: "-NOMASTERLINK Can't SYNC while not connected with my master\r\n" } });
    const err = await captureFailure(() => captureReplication({ endpoint: master.endpoint, timeouts: fast }), 'CAPTURE_SYNC_REFUSED');
    expect(err.context.transient).toBe(true);
    expect(master.commands.some((c) => c[0] === 'SYNC')).toBe(false);
  });
});

describe('timeouts', () => {
  test('a server that accepts but never answers: CAPTURE_TIMEOUT naming the reply awaited', async () => {
    const sockets: Socket[] = [];
    const silent: Server = createServer((s) => void sockets.push(s));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as { port: number }).port;
    try {
      const t0 = Date.now();
      const err = await captureFailure(() => captureReplication({ endpoint: { host: '127.0.0.1', port }, timeouts: { ...fast, replyMs: 300 } }), 'CAPTURE_TIMEOUT');
      expect(Date.now() - t0).toBeLessThan(2000);
      expect(err.context).toMatchObject({ phase: 'reply', command: 'INFO', timeoutMs: 300 });
      expect(err.message).toContain('reply to INFO');
      // TLS to the same silent server never completes its handshake: a connect failure within connectMs.
      const tlsErr = await captureFailure(
        () => captureReplication({ endpoint: { host: '127.0.0.1', port, tls: {} }, timeouts: { ...fast, connectMs: 300 } }),
        'CAPTURE_CONNECT_FAILED',
      );
      expect(tlsErr.context).toMatchObject({ phase: 'connect', timeoutMs: 300 });
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => silent.close(() => r()));
    }
  });

  test('keep-alive newlines do not extend the wait for the payload to start', async () => {
    const master = await fake({
      replies: {
        PSYNC: async (socket) => {
          for (let i = 0; i < 20 && !socket.destroyed; i++) {
            socket.write('\n');
            await sleep(50);
          }
        },
      },
    });
    const err = await captureFailure(() => captureReplication({ endpoint: master.endpoint, timeouts: { ...fast, startMs: 300 } }), 'CAPTURE_TIMEOUT');
    expect(err.context.phase).toBe('start');
    expect(err.message).toContain('waiting for the payload to start');
  });

  test('a payload that stalls: CAPTURE_TIMEOUT (payload idle) with the bytes received', async () => {
    const master = await fake({
      replies: {
        PSYNC: (socket) => {
          socket.write(`+FULLRESYNC ${REPLID} 0\r\n$${RDB.length}\r\n`);
          socket.write(RDB.subarray(0, 100));
        },
      },
    });
    const capture = await captureReplication({ endpoint: master.endpoint, timeouts: { ...fast, idleMs: 300 } });
    const err = await captureFailure(() => collect(capture), 'CAPTURE_TIMEOUT');
    expect(err.context).toMatchObject({ phase: 'payload', bytesReceived: 100 });
  });
});

describe('abort', () => {
  test('an already aborted signal, or one aborted while the payload has not started: CAPTURE_ABORTED', async () => {
    const master = await fake({ replies: { PSYNC: () => undefined } });
    const controller = new AbortController();
    controller.abort();
    await captureFailure(() => captureReplication({ endpoint: master.endpoint, signal: controller.signal }), 'CAPTURE_ABORTED');
    const later = new AbortController();
    setTimeout(() => later.abort(), 100);
    const t0 = Date.now();
    await captureFailure(() => captureReplication({ endpoint: master.endpoint, signal: later.signal }), 'CAPTURE_ABORTED');
    expect(Date.now() - t0).toBeLessThan(1000);
  });
});

describe('back-pressure', () => {
  test('the producer stops reading while the consumer is busy', async () => {
    const chunk = Buffer.alloc(1 << 20, 0x61);
    const chunks = 64;
    let handedToKernel = 0;
    const master = await fake({
      replies: {
        PSYNC: async (socket) => {
          socket.write(`+FULLRESYNC ${REPLID} 0\r\n$${chunk.length * chunks}\r\n`);
          // One write at a time: its callback fires once the kernel has taken it.
          for (let i = 0; i < chunks && !socket.destroyed; i++) {
            await new Promise<void>((resolve) => socket.write(chunk, () => resolve()));
            handedToKernel++;
          }
        },
      },
    });
    const capture = await captureReplication({ endpoint: master.endpoint, timeouts: fast });
    const it = capture.payload[Symbol.asyncIterator]();
    let received = (await it.next()).value?.length ?? 0;
    await sleep(500);
    // Kernel socket buffers hold a few MB at most: the rest must still wait on the server side.
    expect(handedToKernel).toBeLessThan(chunks - 16);
    for (;;) {
      const r = await it.next();
      if (r.done === true) break;
      received += r.value.length;
    }
    expect(received).toBe(chunk.length * chunks);
  });
});
