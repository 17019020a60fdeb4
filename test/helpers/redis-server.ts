import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis, { RedisOptions } from 'ioredis';

/** The redis-server binary the tests run (Debian's package by default). */
export const REDIS_SERVER_BIN = process.env.REDIS_SERVER_BIN ?? 'redis-server';

export interface RedisServerOptions {
  /** Extra configuration directives, e.g. { 'list-compress-depth': 1, 'rdbcompression': 'no' }. */
  config?: Record<string, string | number>;
  /** Data directory; a fresh temporary one when omitted (removed on stop). */
  dir?: string;
  /** How long to wait for the server to answer PING. */
  startTimeoutMs?: number;
}

/** Asks the kernel for a free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Sends one inline PING over a plain socket; resolves to the first reply line, or '' when nothing answers. */
function pingOnce(port: number): Promise<string> {
  return new Promise((resolve) => {
    const sock = connect({ host: '127.0.0.1', port });
    let data = '';
    const done = (reply: string): void => {
      sock.destroy();
      resolve(reply);
    };
    sock.setTimeout(1000, () => done(''));
    sock.once('error', () => done(''));
    sock.once('connect', () => sock.write('PING\r\n'));
    sock.on('data', (d: Buffer) => {
      data += d.toString('latin1');
      if (data.includes('\r\n')) done(data);
    });
  });
}

/** A real redis-server process on a free loopback port, with its own data directory. */
export class RedisServer {
  private readonly clients: Redis[] = [];
  private exited: Promise<void>;

  private constructor(
    readonly port: number,
    readonly dir: string,
    private readonly ownsDir: boolean,
    private readonly proc: ChildProcess,
    private readonly log: string[],
  ) {
    this.exited = new Promise((resolve) => proc.once('exit', () => resolve()));
  }

  readonly host = '127.0.0.1';

  get url(): string {
    return `redis://${this.host}:${this.port}`;
  }

  /** Starts a server; retries on another port if the chosen one was taken meanwhile. */
  static async start(options: RedisServerOptions = {}): Promise<RedisServer> {
    let lastError: unknown;
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        return await RedisServer.startOnce(options);
      } catch (e) {
        lastError = e;
      }
    }
    throw lastError;
  }

  private static async startOnce(options: RedisServerOptions): Promise<RedisServer> {
    // A caller may pin the port (e.g. to restart a server where it was).
    const port = options.config?.port !== undefined ? Number(options.config.port) : await freePort();
    const ownsDir = options.dir === undefined;
    const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'redis-backup-test-'));
    const config: Record<string, string | number> = {
      port,
      bind: '127.0.0.1',
      dir,
      save: '',
      appendonly: 'no',
      daemonize: 'no',
      'protected-mode': 'no',
      logfile: '',
      ...options.config,
    };
    const args: string[] = [];
    for (const [k, v] of Object.entries(config)) args.push(`--${k}`, String(v));
    const proc = spawn(REDIS_SERVER_BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const log: string[] = [];
    const collect = (d: Buffer): void => {
      log.push(d.toString());
      if (log.length > 200) log.shift();
    };
    proc.stdout?.on('data', collect);
    proc.stderr?.on('data', collect);
    const server = new RedisServer(port, dir, ownsDir, proc, log);
    const deadline = Date.now() + (options.startTimeoutMs ?? 10_000);
    while (Date.now() < deadline) {
      if (proc.exitCode !== null) break;
      const reply = await pingOnce(port);
      // A server that needs a password still proves it is up.
      if (reply.startsWith('+PONG') || reply.startsWith('-NOAUTH') || reply.startsWith('-WRONGPASS')) return server;
      await new Promise((r) => setTimeout(r, 50));
    }
    await server.stop();
    throw new Error(`redis-server did not start on port ${port}: ${log.join('').slice(-2000)}`);
  }

  /** A connected ioredis client, closed by stop(). */
  client(options: RedisOptions = {}): Redis {
    const c = new Redis({ host: this.host, port: this.port, maxRetriesPerRequest: 1, ...options });
    this.clients.push(c);
    return c;
  }

  /** The server's recent log output (for failure messages). */
  get output(): string {
    return this.log.join('');
  }

  async stop(): Promise<void> {
    for (const c of this.clients) c.disconnect();
    if (this.proc.exitCode === null && this.proc.signalCode === null) {
      this.proc.kill('SIGKILL');
      await this.exited;
    }
    if (this.ownsDir) rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Runs `fn` against a throwaway server, stopped afterwards whatever happens. */
export async function withServer<T>(fn: (server: RedisServer) => Promise<T>, options: RedisServerOptions = {}): Promise<T> {
  const server = await RedisServer.start(options);
  try {
    return await fn(server);
  } finally {
    await server.stop();
  }
}
