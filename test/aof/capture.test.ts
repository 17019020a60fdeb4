import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Redis from 'ioredis';
import { runAofBackup } from '../../lambdas/backup/aof-run';
import { parseRedisUrl } from '../../lambdas/capture/endpoint';
import { CaptureError } from '../../lambdas/capture/errors';
import { AofSnapshotManifest } from '../../lambdas/catalog/aof-manifest';
import { verifyAofSnapshot } from '../../lambdas/catalog/verify-aof-snapshot';
import { LocalStore } from '../../lambdas/store/local-store';
import { openStore } from '../../lambdas/store/open-store';
import { SnapshotStore } from '../../lambdas/store/store';
import { RedisServer } from '../helpers/redis-server';
import { S3Server } from '../helpers/s3-server';
import { expectNothingLeft, storedFiles } from '../backup/aof-helpers';
import { runCheckAof } from './helpers';

/**
 * AOF capture from a real redis-server (appendonly yes) while a writer runs and
 * BGREWRITEAOF is forced again and again: the stored set verifies, a server started on
 * a directory rebuilt from it holds every write acknowledged before the capture began,
 * and the server's auto-aof-rewrite-percentage is never changed, on success or failure.
 */

/** A writer of SET w:<i> <i>, recording what the server acknowledged. */
class Writer {
  acked = 0;
  private stopped = false;
  private done: Promise<void> | null = null;
  constructor(
    private readonly client: Redis,
    /** Key prefix of this writer's keys. */
    readonly run: string,
  ) {}

  start(): void {
    this.done = (async () => {
      for (let i = 0; !this.stopped; i++) {
        // A MULTI now and then: transactions must stay whole in the captured set.
        if (i % 50 === 0) await this.client.multi().set(`${this.run}:${i}`, String(i)).incr(`${this.run}:tx`).exec();
        else await this.client.set(`${this.run}:${i}`, String(i));
        this.acked = i + 1;
      }
    })();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.done;
  }
}

/** Forces BGREWRITEAOF over and over (refusals while one runs are expected). */
class Rewriter {
  forced = 0;
  private stopped = false;
  private done: Promise<void> | null = null;
  constructor(private readonly client: Redis) {}

  start(): void {
    this.done = (async () => {
      while (!this.stopped) {
        try {
          await this.client.bgrewriteaof();
          this.forced++;
        } catch {
          // "already in progress"
        }
        await sleep(15);
      }
    })();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.done;
  }
}

async function seed(client: Redis, keys: number): Promise<void> {
  for (let i = 0; i < keys; i += 1000) {
    const p = client.pipeline();
    for (let j = i; j < Math.min(keys, i + 1000); j++) p.set(`seed:${j}`, `value-${j}-${'x'.repeat(j % 200)}`);
    p.hset(`h:${i}`, 'a', '1', 'b', '2');
    await p.exec();
  }
}

/** Rebuilds the data directory from the stored files (appendonlydir + manifest). */
async function rebuild(store: SnapshotStore, m: AofSnapshotManifest, root: string): Promise<string> {
  const dir = join(root, `restored-${m.snapshotId}`);
  const aofDir = join(dir, m.aof.dirName!);
  mkdirSync(aofDir, { recursive: true });
  for (const [name, bytes] of await storedFiles(store, m)) writeFileSync(join(aofDir, name), bytes);
  return dir;
}

/** Starts a server on a rebuilt data directory. */
function startFromSnapshot(dir: string, preamble: string): Promise<RedisServer> {
  return RedisServer.start({ dir, config: { appendonly: 'yes', 'aof-use-rdb-preamble': preamble, 'aof-load-truncated': 'no' } });
}

/** `inner`, waiting before each upload: the capture lasts long enough for rewrites to replace the files it pinned. */
function slow(inner: SnapshotStore, ms: number): SnapshotStore {
  const store = Object.create(inner) as SnapshotStore;
  store.putStream = async (key, body, options) => {
    await sleep(ms);
    return inner.putStream(key, body, options);
  };
  return store;
}

const rewritesDone = async (c: Redis): Promise<number> => Number(/aof_rewrites:(\d+)/.exec(await c.info('persistence'))![1]);

function pins(server: RedisServer): string[] {
  const dir = join(server.dir, 'appendonlydir');
  return existsSync(dir) ? readdirSync(dir).filter((n) => n.startsWith('.redis-backup-pin-')) : [];
}

describe.each([['yes'], ['no']])('AOF capture from redis-server 7.0 (aof-use-rdb-preamble %s)', (preamble) => {
  let server: RedisServer;
  let root: string;
  let store: LocalStore;
  beforeAll(async () => {
    server = await RedisServer.start({ config: { appendonly: 'yes', 'aof-use-rdb-preamble': preamble, appendfsync: 'always', 'auto-aof-rewrite-percentage': 77 } });
    await seed(server.client(), 20_000);
  });
  afterAll(async () => {
    await server?.stop();
  });
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'redis-backup-aof-capture-'));
    store = new LocalStore(join(root, 'store'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const endpoint = (): ReturnType<typeof parseRedisUrl> => parseRedisUrl(server.url);

  test.each([
    ['hard links', false],
    ['open handles', true],
  ])('with writes and forced rewrites running (%s): verifies and holds every acknowledged write', async (_how, handlesOnly) => {
    const writer = new Writer(server.client(), `w-${handlesOnly ? 'handles' : 'links'}`);
    const rewriter = new Rewriter(server.client());
    writer.start();
    rewriter.start();
    let m: AofSnapshotManifest;
    let ackedBefore: number;
    let rewritesBefore: number;
    let rewritesAfter: number;
    try {
      while (writer.acked < 500 || rewriter.forced < 2) await sleep(10);
      ackedBefore = writer.acked;
      rewritesBefore = await rewritesDone(server.client());
      m = await runAofBackup({ store: slow(store, 300), source: 'live', endpoint: endpoint(), dataDir: server.dir, capture: { handlesOnly, pollMs: 20, pinAttempts: 200 } });
      rewritesAfter = await rewritesDone(server.client());
    } finally {
      await rewriter.stop();
      await writer.stop();
    }
    // Rewrites ran during the capture and deleted files it had pinned.
    expect(rewritesAfter).toBeGreaterThan(rewritesBefore);
    const live = readdirSync(join(server.dir, 'appendonlydir'));
    expect(m.files.filter((f) => f.type !== 'manifest' && !live.includes(f.name)).length).toBeGreaterThan(0);
    expect(m.kind).toBe('aof');
    expect(m.method).toBe('bgsave');
    expect(m.server).toEqual({ engine: 'redis', version: expect.stringMatching(/^7\./), role: 'master' });
    expect(m.aof.rdbVersion !== null).toBe(preamble === 'yes');
    expect(m.files[0].type).toBe('manifest');
    expect(m.files.at(-1)?.truncatedTail ?? null).toBeNull();
    const report = await verifyAofSnapshot(store, m);
    expect({ ok: report.ok, problems: report.problems }).toEqual({ ok: true, problems: [] });
    expect(await server.client().config('GET', 'auto-aof-rewrite-percentage')).toEqual(['auto-aof-rewrite-percentage', '77']);
    expect(pins(server)).toEqual([]);

    const dir = await rebuild(store, m, root);
    // redis-check-aof agrees: the rebuilt directory is valid to its last byte. It says "is empty"
    // instead of analysing an empty file (an incr file opened by a rewrite that had no writes yet).
    const check = await runCheckAof(join(dir, 'appendonlydir', 'appendonly.aof.manifest'));
    const nonEmpty = m.files.filter((f) => f.type !== 'manifest' && f.raw.bytes > 0);
    expect({ exit: check.exitCode, diffs: check.analyzed.map((a) => a.diff) }).toEqual({ exit: 0, diffs: nonEmpty.map(() => 0) });
    const restored = await startFromSnapshot(dir, preamble);
    try {
      const c = restored.client();
      expect(await c.get('seed:19999')).toBe(`value-19999-${'x'.repeat(19999 % 200)}`);
      const values = await c.mget(...Array.from({ length: ackedBefore }, (_, i) => `${writer.run}:${i}`));
      const lost = values.map((v, i) => (v === String(i) ? null : i)).filter((i) => i !== null);
      expect(lost).toEqual([]);
      // Nothing after the capture is in it, and transactions are whole.
      const written = (await c.keys(`${writer.run}:*`)).filter((k) => k !== `${writer.run}:tx`).map((k) => Number(k.slice(writer.run.length + 1)));
      expect(Math.max(...written)).toBeLessThan(writer.acked);
      expect(Number(await c.get(`${writer.run}:tx`))).toBe(written.filter((i) => i % 50 === 0).length);
    } finally {
      await restored.stop();
    }
  });

  test('--rewrite: a BGREWRITEAOF first gives one base and one short incr', async () => {
    const client = server.client();
    const before = await rewritesDone(client);
    const m = await runAofBackup({ store, source: 'rw', endpoint: endpoint(), dataDir: server.dir, rewrite: true, capture: { pollMs: 20 } });
    expect(await rewritesDone(client)).toBeGreaterThan(before);
    expect(m.files.map((f) => f.type)).toEqual(['manifest', 'base', 'incr']);
    expect((await verifyAofSnapshot(store, m)).ok).toBe(true);
    expect(await client.config('GET', 'auto-aof-rewrite-percentage')).toEqual(['auto-aof-rewrite-percentage', '77']);
  });

  test('a store failing mid-upload: nothing committed, setting restored, pins removed', async () => {
    let calls = 0;
    const failing: SnapshotStore = Object.create(store) as SnapshotStore;
    failing.putStream = async (key, body, options) => {
      if (++calls === 2) {
        for await (const _ of body) throw new Error('the store went away');
      }
      return store.putStream(key, body, options);
    };
    await expect(runAofBackup({ store: failing, source: 'fail', endpoint: endpoint(), dataDir: server.dir, capture: { pollMs: 20 } })).rejects.toThrow('the store went away');
    await expectNothingLeft(store, 'fail');
    expect(await server.client().config('GET', 'auto-aof-rewrite-percentage')).toEqual(['auto-aof-rewrite-percentage', '77']);
    expect(pins(server)).toEqual([]);
  });

  test('a data directory without the AOF: CAPTURE_DATA_DIR, setting restored', async () => {
    const empty = join(root, 'empty');
    mkdirSync(empty);
    const err = await runAofBackup({ store, source: 'nodir', endpoint: endpoint(), dataDir: empty, capture: { pollMs: 20 } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CaptureError);
    expect((err as CaptureError).code).toBe('CAPTURE_DATA_DIR');
    await expectNothingLeft(store, 'nodir');
    expect(await server.client().config('GET', 'auto-aof-rewrite-percentage')).toEqual(['auto-aof-rewrite-percentage', '77']);
  });
});

describe('AOF capture into S3 (s3rver)', () => {
  test('a live server with writes running: stored, verifies, loads', async () => {
    const [server, s3] = await Promise.all([RedisServer.start({ config: { appendonly: 'yes', appendfsync: 'always' } }), S3Server.start()]);
    const root = mkdtempSync(join(tmpdir(), 'redis-backup-aof-capture-s3-'));
    try {
      await seed(server.client(), 5000);
      const writer = new Writer(server.client(), 's3');
      writer.start();
      let m: AofSnapshotManifest;
      let ackedBefore: number;
      try {
        while (writer.acked < 200) await sleep(10);
        ackedBefore = writer.acked;
        const store = openStore(s3.url, s3.storeOptions);
        m = await runAofBackup({ store, source: 'live', endpoint: parseRedisUrl(server.url), dataDir: server.dir, rewrite: true, capture: { pollMs: 20 } });
        expect((await verifyAofSnapshot(store, m)).ok).toBe(true);
        const restored = await startFromSnapshot(await rebuild(store, m, root), 'yes');
        try {
          const values = await restored.client().mget(...Array.from({ length: ackedBefore }, (_, i) => `s3:${i}`));
          expect(values.filter((v, i) => v !== String(i))).toEqual([]);
        } finally {
          await restored.stop();
        }
      } finally {
        await writer.stop();
      }
    } finally {
      await Promise.all([server.stop(), s3.stop()]);
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('AOF capture refusals', () => {
  test('appendonly no: CAPTURE_AOF_DISABLED, nothing changed or committed', async () => {
    const server = await RedisServer.start({ config: { appendonly: 'no' } });
    const root = mkdtempSync(join(tmpdir(), 'redis-backup-aof-capture-'));
    try {
      const store = new LocalStore(join(root, 'store'));
      const err = await runAofBackup({ store, source: 'off', endpoint: parseRedisUrl(server.url), dataDir: server.dir }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(CaptureError);
      expect((err as CaptureError).code).toBe('CAPTURE_AOF_DISABLED');
      expect((err as CaptureError).message).toContain('appendonly no');
      await expectNothingLeft(store, 'off');
      expect(await server.client().config('GET', 'auto-aof-rewrite-percentage')).toEqual(['auto-aof-rewrite-percentage', '100']);
    } finally {
      await server.stop();
      rmSync(root, { recursive: true, force: true });
    }
  });
});
