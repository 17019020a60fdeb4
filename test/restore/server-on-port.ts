import { ChildProcess, spawn } from 'node:child_process';
import Redis from 'ioredis';
import { REDIS_SERVER_BIN } from '../helpers/redis-server';

/**
 * A redis-server on a port chosen beforehand (RedisServer picks its own port, but a
 * restore that attaches a replica needs the endpoint before the server exists),
 * with extra command-line arguments such as ['--replicaof', host, port].
 */
export class ServerOnPort {
  private readonly clients: Redis[] = [];
  private readonly log: string[] = [];
  private readonly exited: Promise<void>;

  private constructor(
    readonly port: number,
    private readonly proc: ChildProcess,
  ) {
    const collect = (d: Buffer): void => {
      this.log.push(d.toString());
      if (this.log.length > 500) this.log.shift();
    };
    proc.stdout?.on('data', collect);
    proc.stderr?.on('data', collect);
    this.exited = new Promise((resolve) => proc.once('exit', () => resolve()));
  }

  readonly host = '127.0.0.1';

  static async start(dir: string, port: number, args: string[] = []): Promise<ServerOnPort> {
    const base = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', '--protected-mode', 'no', '--logfile', ''];
    const server = new ServerOnPort(port, spawn(REDIS_SERVER_BIN, [...base, ...args], { stdio: ['ignore', 'pipe', 'pipe'] }));
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && server.proc.exitCode === null) {
      if (server.output.includes('Ready to accept connections')) return server;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await server.stop();
    throw new Error(`redis-server did not start on port ${port}: ${server.output.slice(-2000)}`);
  }

  get output(): string {
    return this.log.join('');
  }

  client(options: { db?: number } = {}): Redis {
    const c = new Redis({ host: this.host, port: this.port, maxRetriesPerRequest: 1, ...options });
    this.clients.push(c);
    return c;
  }

  async stop(): Promise<void> {
    for (const c of this.clients) c.disconnect();
    if (this.proc.exitCode === null && this.proc.signalCode === null) {
      this.proc.kill('SIGKILL');
      await this.exited;
    }
  }
}
