import Redis, { Cluster, ClusterOptions } from 'ioredis';
import { RedisEndpoint } from '../../lambdas/capture/endpoint';
import { freePort, RedisServer } from './redis-server';

export interface RedisClusterOptions {
  /** Primaries (no replicas); the 16384 slots are split evenly between them. */
  primaries: number;
  /** Extra configuration directives for every node. */
  config?: Record<string, string | number>;
  /** requirepass (and masterauth) of every node; the helper's clients and `nodes` carry it. */
  password?: string;
  /** How long to wait for cluster_state:ok on every node (default 20 s). */
  readyTimeoutMs?: number;
}

const SLOTS = 16384;

/**
 * A client of our own (not RedisServer.client(): stop() disconnects those again, and a
 * second disconnect of a closed ioredis client leaves a timer that keeps Jest alive).
 */
function connect(server: RedisServer, password?: string): Redis {
  const c = new Redis({ host: server.host, port: server.port, password, maxRetriesPerRequest: 1 });
  c.on('error', () => undefined);
  return c;
}
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Slot ranges owned per node id, as one node sees them (CLUSTER SLOTS). */
async function slotOwners(client: Redis): Promise<Array<[number, number, string]>> {
  const reply = (await client.call('CLUSTER', 'SLOTS')) as Array<[number, number, [string, number, string]]>;
  return reply.map(([start, end, primary]) => [start, end, primary[2]]);
}

/**
 * A Redis Cluster of `primaries` redis-server processes on free loopback ports,
 * each with its own directory and nodes.conf, slots assigned evenly with
 * CLUSTER ADDSLOTSRANGE (Redis 7.0+), and every node reporting cluster_state:ok.
 */
export class RedisCluster {
  private readonly clusterClients: Cluster[] = [];
  private readonly nodeClients: Redis[] = [];

  private constructor(
    readonly servers: RedisServer[],
    /** CLUSTER MYID of each server, in the same order. */
    readonly ids: string[],
    readonly password?: string,
  ) {}

  /** The nodes as restore endpoints, in start order. */
  get nodes(): RedisEndpoint[] {
    return this.servers.map((s) => ({ host: s.host, port: s.port, ...(this.password === undefined ? {} : { password: this.password }) }));
  }

  static async start(options: RedisClusterOptions): Promise<RedisCluster> {
    const servers: RedisServer[] = [];
    let admins: Redis[] = [];
    try {
      for (let i = 0; i < options.primaries; i++) {
        // The bus port would be port + 10000 by default, which may be taken or above 65535.
        const busPort = await freePort();
        servers.push(
          await RedisServer.start({
            config: {
              'cluster-enabled': 'yes',
              // Relative to the server's own directory.
              'cluster-config-file': 'nodes.conf',
              'cluster-port': busPort,
              'cluster-node-timeout': 5000,
              ...(options.password === undefined ? {} : { requirepass: options.password, masterauth: options.password }),
              ...options.config,
            },
          }),
        );
      }
      admins = servers.map((srv) => connect(srv, options.password));
      const ids = await Promise.all(admins.map(async (c) => String(await c.call('CLUSTER', 'MYID'))));
      const per = Math.floor(SLOTS / servers.length);
      await Promise.all(
        admins.map((c, i) => {
          const start = i * per;
          const end = i === admins.length - 1 ? SLOTS - 1 : start + per - 1;
          return c.call('CLUSTER', 'ADDSLOTSRANGE', start, end);
        }),
      );
      for (let i = 1; i < servers.length; i++) {
        const busPort = Number(await admins[i].call('CONFIG', 'GET', 'cluster-port').then((r) => (r as string[])[1]));
        await admins[0].call('CLUSTER', 'MEET', servers[i].host, servers[i].port, busPort);
      }
      const cluster = new RedisCluster(servers, ids, options.password);
      await cluster.waitUntilConsistent(options.readyTimeoutMs ?? 20_000);
      return cluster;
    } catch (e) {
      await Promise.all(servers.map((s) => s.stop()));
      throw e;
    } finally {
      for (const c of admins) c.disconnect();
    }
  }

  /** A plain client to one node (closed by stop()). */
  node(index: number): Redis {
    const c = connect(this.servers[index], this.password);
    this.nodeClients.push(c);
    return c;
  }

  /** An ioredis Cluster client (closed by stop() unless closed before). */
  client(options: ClusterOptions = {}): Cluster {
    const c = new Cluster(this.nodes, { maxRedirections: 32, ...options, redisOptions: { password: this.password, ...options.redisOptions } });
    c.on('error', () => undefined);
    this.clusterClients.push(c);
    return c;
  }

  /**
   * Waits until every node reports cluster_state:ok, knows every other node, and all
   * nodes agree on who owns every slot.
   */
  async waitUntilConsistent(timeoutMs = 20_000): Promise<void> {
    const admins = this.servers.map((srv) => connect(srv, this.password));
    const deadline = Date.now() + timeoutMs;
    let last = '';
    try {
      while (Date.now() < deadline) {
        const infos = await Promise.all(admins.map((c) => c.call('CLUSTER', 'INFO') as Promise<string>));
        const maps = await Promise.all(admins.map((c) => slotOwners(c)));
        const ok = infos.every((t) => /cluster_state:ok/.test(t) && new RegExp(`cluster_known_nodes:${this.servers.length}\\b`).test(t));
        const views = maps.map((m) => JSON.stringify([...m].sort((a, b) => a[0] - b[0])));
        const covered = maps[0].reduce((n, [s, e]) => n + e - s + 1, 0) === SLOTS;
        if (ok && covered && views.every((v) => v === views[0])) return;
        last = infos.map((t) => /cluster_state:\w+/.exec(t)?.[0]).join(', ');
        await sleep(100);
      }
      throw new Error(`The cluster did not become consistent within ${timeoutMs} ms (${last})`);
    } finally {
      for (const c of admins) c.disconnect();
    }
  }

  /**
   * Hands empty slots to node `to` without migrating keys: CLUSTER SETSLOT ... NODE on
   * the new owner first (with a config epoch bump so its claim wins), then on the others.
   */
  async assignSlots(slots: number[], to: number): Promise<void> {
    const admins = this.servers.map((srv) => connect(srv, this.password));
    try {
      const order = [to, ...admins.map((_, i) => i).filter((i) => i !== to)];
      for (const i of order) {
        const p = admins[i].pipeline();
        for (const slot of slots) p.call('CLUSTER', 'SETSLOT', slot, 'NODE', this.ids[to]);
        for (const [err] of (await p.exec()) ?? []) if (err) throw err;
        if (i === to) await admins[i].call('CLUSTER', 'BUMPEPOCH');
      }
    } finally {
      for (const c of admins) c.disconnect();
    }
    await this.waitUntilConsistent();
  }

  /** The index of the node that owns `slot`, as node 0 sees it. */
  async ownerOf(slot: number): Promise<number> {
    const admin = connect(this.servers[0], this.password);
    try {
      const owner = (await slotOwners(admin)).find(([s, e]) => slot >= s && slot <= e);
      if (owner === undefined) throw new Error(`Slot ${slot} has no owner`);
      return this.ids.indexOf(owner[2]);
    } finally {
      admin.disconnect();
    }
  }

  async stop(): Promise<void> {
    // Disconnecting a closed client again leaves a timer behind.
    for (const c of this.clusterClients) if (c.status !== 'end') c.disconnect();
    for (const c of this.nodeClients) if (c.status !== 'end') c.disconnect();
    await Promise.all(this.servers.map((s) => s.stop()));
  }
}
