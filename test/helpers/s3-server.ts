import { S3Client } from '@aws-sdk/client-s3';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { Socket } from 'node:net';
import { join } from 'node:path';
import S3rver from 's3rver';
import { OpenStoreOptions } from '../../lambdas/store/open-store';
import { freePort } from './redis-server';

/*
 * s3rver 3.7.1 keeps a multipart upload in <dir>/<bucket>/._S3rver_uploads/<uploadId>/ (files
 * `key`, `metadata`, and `<n>` + `<n>.md5` per part) until CompleteMultipartUpload. It does not
 * implement AbortMultipartUpload (DELETE ?uploadId answers 405 MethodNotAllowed, leaving the parts
 * on disk) nor ListMultipartUploads (GET ?uploads answers 501 NotImplemented). Unless
 * `emulateMultipartAdmin` is false, this helper answers those two requests itself from that
 * directory, as S3 would, so that tests can prove uploads are aborted and parts removed.
 */

export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

export interface S3ServerOptions {
  bucket?: string;
  /** The store prefix of `url` (default 'backups/'). */
  prefix?: string;
  /** Answer AbortMultipartUpload and ListMultipartUploads, which s3rver lacks (default true). */
  emulateMultipartAdmin?: boolean;
}

/** A request the server received. */
export interface LoggedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
}

/** A multipart upload s3rver still holds on disk. */
export interface UploadOnDisk {
  uploadId: string;
  /** The full S3 key. */
  key: string;
  parts: number;
}

const UPLOADS_DIR = '._S3rver_uploads';

function xmlEscape(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

function sendXml(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'application/xml' });
  res.end(`<?xml version="1.0" encoding="UTF-8"?>\n${body}`);
}

export class S3Server {
  readonly client: S3Client;
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly s3rver: S3rver,
    private readonly server: Server,
    readonly port: number,
    readonly dir: string,
    readonly bucket: string,
    readonly prefix: string,
    /** Every request received, in order. */
    readonly requests: LoggedRequest[],
  ) {
    this.client = new S3Client(this.storeOptions);
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
  }

  static async start(options: S3ServerOptions = {}): Promise<S3Server> {
    const bucket = options.bucket ?? 'test-bucket';
    const dir = await mkdtemp(join(tmpdir(), 'redis-backup-s3rver-'));
    const s3rver = new S3rver({ directory: dir, silent: true, configureBuckets: [{ name: bucket }] });
    await s3rver.configureBuckets();
    const koa = s3rver.callback();
    const emulate = options.emulateMultipartAdmin ?? true;
    const uploads = join(dir, bucket, UPLOADS_DIR);
    const requests: LoggedRequest[] = [];
    const server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      requests.push({ method: req.method ?? '', path: decodeURIComponent(url.pathname), query: url.searchParams, headers: req.headers });
      if (!emulate) return koa(req, res);
      emulateMultipartAdmin(req, res, bucket, uploads).then(
        (handled) => {
          if (!handled) koa(req, res);
        },
        (error: unknown) => sendXml(res, 500, `<Error><Code>InternalError</Code><Message>${xmlEscape(String(error))}</Message></Error>`),
      );
    });
    let lastError: unknown;
    for (let attempt = 0; attempt < 5; attempt++) {
      const port = await freePort();
      try {
        await listen(server, port);
        return new S3Server(s3rver, server, port, dir, bucket, options.prefix ?? 'backups/', requests);
      } catch (error) {
        lastError = error; // the port was taken meanwhile
      }
    }
    await rm(dir, { recursive: true, force: true });
    throw lastError;
  }

  get endpoint(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The store URL, `s3://<bucket>/<prefix>`. */
  get url(): string {
    return `s3://${this.bucket}/${this.prefix}`;
  }

  /** Options that make openStore(url, ...) and S3Client talk to this server. */
  get storeOptions(): OpenStoreOptions & { endpoint: string; region: string; forcePathStyle: boolean; credentials: typeof S3RVER_CREDENTIALS } {
    return { endpoint: this.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: S3RVER_CREDENTIALS };
  }

  /** Multipart uploads neither completed nor aborted, as s3rver keeps them on disk. */
  async incompleteUploadsOnDisk(): Promise<UploadOnDisk[]> {
    const root = join(this.dir, this.bucket, UPLOADS_DIR);
    if (!existsSync(root)) return [];
    const found: UploadOnDisk[] = [];
    for (const uploadId of (await readdir(root)).sort()) {
      const files = await readdir(join(root, uploadId));
      const key = files.includes('key') ? await readFile(join(root, uploadId, 'key'), 'utf8') : '';
      found.push({ uploadId, key, parts: files.filter((f) => /^\d+$/.test(f)).length });
    }
    return found;
  }

  /** Whether s3rver holds a committed object under the full S3 key. */
  objectOnDisk(s3Key: string): boolean {
    return existsSync(join(this.dir, this.bucket, `${s3Key}._S3rver_object`));
  }

  /** Stops answering at once, cutting connections in progress; the data stays for resume(). */
  async halt(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  /** Listens again on the same port after halt(). */
  async resume(): Promise<void> {
    await listen(this.server, this.port);
  }

  async stop(): Promise<void> {
    this.client.destroy();
    if (this.server.listening) await this.halt();
    this.s3rver.logger.close();
    await rm(this.dir, { recursive: true, force: true });
  }
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => reject(error);
    server.once('error', onError);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', onError);
      resolve();
    });
  });
}

/** Answers AbortMultipartUpload and ListMultipartUploads from s3rver's uploads directory; false for any other request. */
async function emulateMultipartAdmin(req: IncomingMessage, res: ServerResponse, bucket: string, uploads: string): Promise<boolean> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const path = url.pathname;
  if (req.method === 'DELETE' && url.searchParams.has('uploadId') && path.startsWith(`/${bucket}/`)) {
    req.resume();
    const uploadId = url.searchParams.get('uploadId') ?? '';
    const key = decodeURIComponent(path.slice(bucket.length + 2));
    const dir = join(uploads, uploadId);
    const storedKey = /^[0-9a-f]+$/.test(uploadId) ? await readFile(join(dir, 'key'), 'utf8').catch(() => undefined) : undefined;
    if (storedKey !== key) {
      sendXml(res, 404, `<Error><Code>NoSuchUpload</Code><Message>The specified upload does not exist.</Message><UploadId>${xmlEscape(uploadId)}</UploadId></Error>`);
      return true;
    }
    await rm(dir, { recursive: true, force: true });
    res.writeHead(204).end();
    return true;
  }
  if (req.method === 'GET' && url.searchParams.has('uploads') && (path === `/${bucket}` || path === `/${bucket}/`)) {
    req.resume();
    const prefix = url.searchParams.get('prefix') ?? '';
    const entries: { key: string; uploadId: string; initiated: Date }[] = [];
    for (const uploadId of existsSync(uploads) ? await readdir(uploads) : []) {
      const key = await readFile(join(uploads, uploadId, 'key'), 'utf8').catch(() => undefined);
      if (key === undefined || !key.startsWith(prefix)) continue;
      entries.push({ key, uploadId, initiated: (await stat(join(uploads, uploadId))).birthtime });
    }
    entries.sort((a, b) => (a.key === b.key ? (a.uploadId < b.uploadId ? -1 : 1) : a.key < b.key ? -1 : 1));
    const items = entries
      .map((e) => `<Upload><Key>${xmlEscape(e.key)}</Key><UploadId>${e.uploadId}</UploadId><Initiated>${e.initiated.toISOString()}</Initiated></Upload>`)
      .join('');
    sendXml(
      res,
      200,
      `<ListMultipartUploadsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Bucket>${xmlEscape(bucket)}</Bucket>` +
        `<Prefix>${xmlEscape(prefix)}</Prefix><MaxUploads>1000</MaxUploads><IsTruncated>false</IsTruncated>${items}</ListMultipartUploadsResult>`,
    );
    return true;
  }
  return false;
}
