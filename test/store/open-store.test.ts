import { resolve } from 'node:path';
import { StoreError } from '../../lambdas/store/errors';
import { LocalStore } from '../../lambdas/store/local-store';
import { openStore, parseStoreUrl } from '../../lambdas/store/open-store';
import { S3Store } from '../../lambdas/store/s3-store';
import { S3Server } from '../helpers/s3-server';

describe('parseStoreUrl', () => {
  test.each([
    ['s3://bucket', 'bucket', ''],
    ['s3://bucket/', 'bucket', ''],
    ['s3://my.bucket-1/backups', 'my.bucket-1', 'backups/'],
    ['s3://bucket/backups/prod/', 'bucket', 'backups/prod/'],
    ['s3://bucket//backups', 'bucket', 'backups/'],
  ])('%s → bucket %s, prefix %j', (url, bucket, prefix) => {
    expect(parseStoreUrl(url)).toEqual({ kind: 's3', bucket, prefix });
  });

  test.each([
    ['/var/backups', '/var/backups'],
    ['relative/dir', 'relative/dir'],
    ['file:///var/backups', '/var/backups'],
    ['file:///var/my%20backups', '/var/my backups'],
  ])('%s → directory %s', (url, dir) => {
    expect(parseStoreUrl(url)).toEqual({ kind: 'local', dir });
  });

  test.each([
    ['', /empty/],
    ['   ', /empty/],
    ['s3://', /names no bucket/],
    ['s3:///prefix', /names no bucket/],
    ['s3://ab', /Invalid S3 bucket name "ab"/],
    ['s3://bad bucket/x', /Invalid S3 bucket name/],
    ['s3://user:secret@bucket/x', /Invalid S3 bucket name/],
    ['s3://bucket/a//b', /empty path segment/],
    ['s3://bucket/a/../b', /"\.\." path segment/],
    ['s3://bucket/x?versionId=1', /query strings/],
    ['gs://bucket/x', /scheme gs:\/\/ is not supported/],
    ['https://bucket.s3.amazonaws.com/x', /scheme https:\/\/ is not supported/],
    ['file://otherhost/x', /Invalid store/],
  ])('%j is refused with STORE_BAD_URL', (url, message) => {
    let error: unknown;
    try {
      parseStoreUrl(url);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(StoreError);
    expect(error).toMatchObject({ code: 'STORE_BAD_URL', message: expect.stringMatching(message) });
  });
});

describe('openStore', () => {
  test('a path or file:// URL opens a LocalStore at the absolute directory', () => {
    const local = openStore('some/dir');
    expect(local).toBeInstanceOf(LocalStore);
    expect(local.url).toBe(resolve('some/dir'));
    expect(openStore('file:///tmp/x').url).toBe('/tmp/x');
  });

  test('an s3:// URL opens an S3Store; region from the environment, path style with an endpoint', async () => {
    const store = openStore('s3://bucket/p', { env: { AWS_REGION: 'eu-west-3' } });
    expect(store).toBeInstanceOf(S3Store);
    expect(store.url).toBe('s3://bucket/p/');
    const s3 = store as S3Store;
    expect(await s3.client.config.region()).toBe('eu-west-3');
    expect(s3.client.config.forcePathStyle).toBeFalsy();
    const custom = openStore('s3://bucket', { env: { REDIS_BACKUP_S3_ENDPOINT: 'http://127.0.0.1:9000' } }) as S3Store;
    expect(custom.client.config.forcePathStyle).toBe(true);
    expect(await custom.client.config.region()).toBeTruthy();
    expect(() => openStore('s3://bucket', { endpoint: 'localhost:9000' })).toThrow(/Invalid S3 endpoint/);
  });

  test('REDIS_BACKUP_S3_ENDPOINT reaches an S3-compatible server', async () => {
    const server = await S3Server.start();
    try {
      const { credentials } = server.storeOptions;
      const store = openStore(server.url, { credentials, env: { REDIS_BACKUP_S3_ENDPOINT: server.endpoint } });
      await store.put('x/y', Buffer.from('hello'));
      expect((await store.get('x/y'))?.toString()).toBe('hello');
      expect(server.objectOnDisk(`${server.prefix}x/y`)).toBe(true);
    } finally {
      await server.stop();
    }
  });

  test('S3Store refuses a part size below 5 MiB', () => {
    expect(() => new S3Store({ bucket: 'bucket', partSize: 1024 })).toThrow(RangeError);
  });
});
