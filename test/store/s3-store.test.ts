import { CreateMultipartUploadCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { StoreError } from '../../lambdas/store/errors';
import { openStore } from '../../lambdas/store/open-store';
import { S3Store } from '../../lambdas/store/s3-store';
import { MultipartWriter } from '../../lambdas/store/s3-multipart';
import { MultipartEvent } from '../../lambdas/store/s3-upload';
import { S3Server } from '../helpers/s3-server';
import { chunks, collect, failingAfter, MIB, randomData, sleep } from './bodies';
import { storeContract } from './store-contract';

const PART = 5 * MIB;

/** Collects a store's multipart events and waits for them. */
class MultipartLog {
  readonly events: MultipartEvent[] = [];
  private waiters: { match: (e: MultipartEvent) => boolean; resolve: () => void }[] = [];

  readonly listener = (event: MultipartEvent): void => {
    this.events.push(event);
    this.waiters = this.waiters.filter((w) => (w.match(event) ? (w.resolve(), false) : true));
  };

  states(key: string): string[] {
    return this.events.filter((e) => e.key === key).map((e) => e.state);
  }

  until(key: string, state: MultipartEvent['state']): Promise<void> {
    if (this.events.some((e) => e.key === key && e.state === state)) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ match: (e) => e.key === key && e.state === state, resolve }));
  }
}

describe('S3Store on s3rver: the store contract', () => {
  storeContract(async () => {
    const server = await S3Server.start();
    const log = new MultipartLog();
    const store = openStore(server.url, { ...server.storeOptions, partSize: PART, onMultipart: log.listener });
    return {
      store,
      untilWriting: (key) => log.until(key, 'created'),
      async expectCleanedUp(key) {
        expect(log.states(key)).toEqual(['created', 'aborted']);
        expect(await server.incompleteUploadsOnDisk()).toEqual([]);
        expect(server.objectOnDisk(`${server.prefix}${key}`)).toBe(false);
      },
      close: () => server.stop(),
    };
  });
});

describe('S3Store on s3rver', () => {
  let server: S3Server;
  let log: MultipartLog;
  let store: S3Store;
  beforeAll(async () => {
    server = await S3Server.start({ bucket: 'bkt', prefix: 'backups/prod/' });
  });
  afterAll(async () => {
    await server.stop();
  });
  beforeEach(() => {
    log = new MultipartLog();
    store = new S3Store({ bucket: server.bucket, prefix: server.prefix, client: server.client, partSize: PART, onMultipart: log.listener });
  });

  test('a large putStream is a multipart upload with a SHA-256 checksum on every part', async () => {
    const data = randomData(3 * PART + 100);
    const from = server.requests.length;
    await expect(store.putStream('mp/data', chunks(data))).resolves.toEqual({ size: data.length });
    expect(log.states('mp/data')).toEqual(['created', 'completed']);
    const requests = server.requests.slice(from).filter((r) => r.path === '/bkt/backups/prod/mp/data');
    const create = requests.filter((r) => r.method === 'POST' && r.query.has('uploads'));
    const parts = requests.filter((r) => r.method === 'PUT' && r.query.has('partNumber'));
    expect(create).toHaveLength(1);
    expect(create[0].headers['x-amz-checksum-algorithm']).toBe('SHA256');
    expect(parts).toHaveLength(4);
    for (const part of parts) {
      // One digest per part serves both the checksum and the payload signature (addSinglePassSha256).
      const n = Number(part.query.get('partNumber'));
      const digest = createHash('sha256').update(data.subarray((n - 1) * PART, n * PART)).digest();
      expect(part.headers['x-amz-checksum-sha256']).toBe(digest.toString('base64'));
      expect(part.headers['x-amz-content-sha256']).toBe(digest.toString('hex'));
    }
    expect(await server.incompleteUploadsOnDisk()).toEqual([]);
    expect((await store.get('mp/data'))?.equals(data)).toBe(true);
  });

  test('a body of at most one part is a single PutObject', async () => {
    await store.putStream('mp/small', chunks(randomData(1000)));
    expect(log.events).toEqual([]);
  });

  test('a body of exactly one part is a single PutObject; one byte more makes two parts', async () => {
    const exact = randomData(PART);
    await store.putStream('mp/exact', chunks(exact));
    expect(log.states('mp/exact')).toEqual([]);
    expect((await store.get('mp/exact'))?.equals(exact)).toBe(true);
    const over = randomData(PART + 1);
    const from = server.requests.length;
    await store.putStream('mp/over', chunks(over));
    expect(log.states('mp/over')).toEqual(['created', 'completed']);
    const parts = server.requests.slice(from).filter((r) => r.method === 'PUT' && r.query.has('partNumber'));
    parts.sort((a, b) => Number(a.query.get('partNumber')) - Number(b.query.get('partNumber')));
    expect(parts.map((r) => r.headers['content-length'])).toEqual([String(PART), '1']);
    expect((await store.get('mp/over'))?.equals(over)).toBe(true);
  });

  test('an upload holds at most queueSize + 1 part buffers and queueSize part requests, whatever its size', async () => {
    const data = randomData(12 * PART + 7);
    const writer = new MultipartWriter({ client: server.client, bucket: 'bkt', s3Key: 'backups/prod/mp/pooled', partSize: PART, queueSize: 2 });
    await writer.write(chunks(data));
    expect(writer.stats).toEqual({ buffersAllocated: 3, maxInFlight: 2, parts: 13 });
    expect((await store.get('mp/pooled'))?.equals(data)).toBe(true);
  });

  test('keys live under the prefix; list strips it and sees nothing outside it', async () => {
    await store.put('src/a', Buffer.from('a'));
    const raw = await server.client.send(new GetObjectCommand({ Bucket: 'bkt', Key: 'backups/prod/src/a' }));
    expect(await raw.Body?.transformToString()).toBe('a');
    await server.client.send(new PutObjectCommand({ Bucket: 'bkt', Key: 'backups/prod-old/src/b', Body: 'b' }));
    await server.client.send(new PutObjectCommand({ Bucket: 'bkt', Key: 'elsewhere/src/c', Body: 'c' }));
    expect((await collect(store.list('src/'))).map((o) => o.key)).toEqual(['src/a']);
    expect((await collect(store.list(''))).map((o) => o.key)).toContain('src/a');
    expect((await collect(store.list(''))).every((o) => !o.key.startsWith('backups'))).toBe(true);
    expect(store.url).toBe('s3://bkt/backups/prod/');
  });

  test('putIfAbsent sends If-None-Match: * (s3rver ignores it; the HEAD before it catches the existing object)', async () => {
    const from = server.requests.length;
    await expect(store.putIfAbsent('cond/x', Buffer.from('1'))).resolves.toBe(true);
    const put = server.requests.slice(from).find((r) => r.method === 'PUT' && r.path === '/bkt/backups/prod/cond/x');
    expect(put?.headers['if-none-match']).toBe('*');
    await expect(store.putIfAbsent('cond/x', Buffer.from('2'))).resolves.toBe(false);
    expect((await store.get('cond/x'))?.toString()).toBe('1');
  });

  test('listIncomplete finds an interrupted multipart upload under the prefix; abortIncomplete removes its parts', async () => {
    const created = await server.client.send(new CreateMultipartUploadCommand({ Bucket: 'bkt', Key: 'backups/prod/src/snapshots/1/data.rdb.zst' }));
    await server.client.send(new CreateMultipartUploadCommand({ Bucket: 'bkt', Key: 'elsewhere/src/x' }));
    const found = await store.listIncomplete('src/');
    expect(found).toEqual([{ key: 'src/snapshots/1/data.rdb.zst', uploadId: created.UploadId, initiated: expect.any(Date) }]);
    await store.abortIncomplete(found[0]);
    await store.abortIncomplete(found[0]); // already gone: fine
    expect(await store.listIncomplete('src/')).toEqual([]);
    expect((await server.incompleteUploadsOnDisk()).map((u) => u.key)).toEqual(['elsewhere/src/x']);
    await expect(store.abortIncomplete({ key: 'src/y', initiated: new Date() })).rejects.toMatchObject({ code: 'STORE_BAD_KEY' });
  });

  test('wrong credentials: STORE_ACCESS_DENIED naming the action and the key', async () => {
    const denied = openStore(server.url, { ...server.storeOptions, credentials: { accessKeyId: 'NOBODY', secretAccessKey: 'S3RVER' } });
    const error: unknown = await denied.get('src/a').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect(error).toMatchObject({ code: 'STORE_ACCESS_DENIED', context: { key: 'src/a' } });
    expect((error as Error).message).toMatch(/GetObject on s3:\/\/bkt\/backups\/prod\/src\/a .*InvalidAccessKeyId 403.*check AWS_ACCESS_KEY_ID/);
  });

  test('a missing bucket: STORE_BAD_URL', async () => {
    const missing = openStore('s3://no-such-bucket/x', server.storeOptions);
    await expect(collect(missing.list(''))).rejects.toMatchObject({ code: 'STORE_BAD_URL', message: expect.stringMatching(/bucket no-such-bucket does not exist/) });
  });

  test('nothing listening: STORE_UNREACHABLE', async () => {
    const port = server.port;
    const gone = openStore(server.url, { ...server.storeOptions, endpoint: `http://127.0.0.1:${port === 1 ? 2 : 1}`, maxAttempts: 1 });
    const error: unknown = await gone.head('x').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'STORE_UNREACHABLE' });
    expect((error as Error).message).toMatch(/ECONNREFUSED.*could not reach http:\/\/127\.0\.0\.1:/);
  });
});

describe('S3Store when the server stops mid-upload', () => {
  let server: S3Server;
  beforeAll(async () => {
    server = await S3Server.start();
  });
  afterAll(async () => {
    await server.stop();
  });

  test('rejects with STORE_UNREACHABLE, commits nothing, and the leftover upload can be cleaned up later', async () => {
    const log = new MultipartLog();
    const store = openStore(server.url, { ...server.storeOptions, partSize: PART, maxAttempts: 2, onMultipart: log.listener });
    let stopped = false;
    async function* body(): AsyncGenerator<Buffer> {
      for (let i = 0; i < 40; i++) {
        yield randomData(MIB);
        if (i === 12) {
          await log.until('src/data', 'created');
          await server.halt();
          stopped = true;
        }
        if (stopped) await sleep(10);
      }
    }
    const error: unknown = await store.putStream('src/data', body()).catch((e: unknown) => e);
    expect(stopped).toBe(true);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).code).toBe('STORE_UNREACHABLE');
    expect((error as Error).message).toMatch(
      /^S3 UploadPart on s3:\/\/test-bucket\/backups\/src\/data failed \(.*ECONNREFUSED.*could not reach http:\/\/127\.0\.0\.1:\d+: .*; its multipart upload \w+ could not be aborted .*abortIncomplete/,
    );
    expect(log.states('src/data')).toEqual(['created', 'abort-failed']);

    await server.resume();
    expect(await store.head('src/data')).toBeNull();
    const leftovers = await store.listIncomplete('');
    expect(leftovers).toEqual([{ key: 'src/data', uploadId: log.events[0].uploadId, initiated: expect.any(Date) }]);
    await store.abortIncomplete(leftovers[0]);
    expect(await server.incompleteUploadsOnDisk()).toEqual([]);
  });
});

describe('S3Store on bare s3rver (no AbortMultipartUpload, no ListMultipartUploads)', () => {
  let server: S3Server;
  beforeAll(async () => {
    server = await S3Server.start({ emulateMultipartAdmin: false });
  });
  afterAll(async () => {
    await server.stop();
  });

  test('listIncomplete lists nothing (501 NotImplemented)', async () => {
    await server.client.send(new CreateMultipartUploadCommand({ Bucket: server.bucket, Key: `${server.prefix}src/x` }));
    const store = openStore(server.url, server.storeOptions);
    await expect(store.listIncomplete('')).resolves.toEqual([]);
  });

  test('a failed putStream says its upload could not be aborted, keeping the body error as the cause', async () => {
    const log = new MultipartLog();
    const store = openStore(server.url, { ...server.storeOptions, partSize: PART, onMultipart: log.listener });
    const boom = new Error('source lost');
    const error: unknown = await store.putStream('src/data', failingAfter(12 * MIB, boom)).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'STORE_WRITE_FAILED', cause: boom });
    expect((error as Error).message).toMatch(/stopped \(source lost\) and its multipart upload \w+ could not be aborted \(.*MethodNotAllowed/);
    expect(log.states('src/data')).toEqual(['created', 'abort-failed']);
    expect(await store.head('src/data')).toBeNull();
  });
});
