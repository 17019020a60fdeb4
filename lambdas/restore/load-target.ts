import Redis, { Cluster } from 'ioredis';
import { describeEndpoint, RedisEndpoint } from '../capture/endpoint';
import { ClusterWriter } from './cluster/cluster-writer';
import { RestoreError } from './errors';
import { LoadWriter, LoadWriterOptions } from './load-writer';
import { capabilitiesFromInfo } from './rewrite';
import { SampleClient } from './sampler';
import { connectControl, keyspace } from './target-client';
import { Command, TargetCapabilities, TargetWriter } from './types';

/** A writer that can also send keyless commands (FUNCTION LOAD) to the whole target. */
export type KeyWriter = TargetWriter & { command(args: Command, onError: (message: string) => void): void | Promise<void> };

/**
 * A running target as the load restore sees it: one server, or the primaries of a
 * Redis Cluster. It answers the control questions (capabilities, keys per db), empties
 * the target, opens the key writer, and gives a client for the sample check.
 */
export interface LoadTarget {
  readonly description: string;
  readonly isCluster: boolean;
  capabilities(): Promise<TargetCapabilities>;
  /** Keys per database (a cluster has only db 0: the sum over its primaries). */
  keyCounts(): Promise<Map<number, number>>;
  flush(withFunctions: boolean): Promise<void>;
  openWriter(caps: TargetCapabilities, options: LoadWriterOptions): Promise<KeyWriter>;
  sampleClient(): SampleClient;
  close(): Promise<void>;
}

export async function openServerTarget(endpoint: RedisEndpoint): Promise<LoadTarget> {
  const control = await connectControl(endpoint);
  return {
    description: describeEndpoint(endpoint),
    isCluster: false,
    capabilities: async () => capabilitiesFromInfo(await control.info('server')),
    keyCounts: () => keyspace(control),
    async flush(withFunctions) {
      await control.flushall();
      if (withFunctions) await control.call('FUNCTION', 'FLUSH');
    },
    openWriter: (caps, options) => LoadWriter.open(endpoint, caps, options),
    sampleClient: () => control,
    async close() {
      control.disconnect();
    },
  };
}

/** The endpoint of a primary named "host:port" in the slot map, with the seed's credentials and TLS settings. */
function primaryEndpoint(seed: RedisEndpoint, hostPort: string): RedisEndpoint {
  const i = hostPort.lastIndexOf(':');
  return { ...seed, host: hostPort.slice(0, i).replace(/^\[(.*)\]$/, '$1'), port: Number(hostPort.slice(i + 1)) };
}

export async function openClusterTarget(nodes: RedisEndpoint[]): Promise<LoadTarget> {
  if (nodes.length === 0) throw new RestoreError('RESTORE_BAD_REQUEST', 'A cluster target needs at least one node (cluster://host:port,host:port)');
  const seed = nodes[0];
  const seedControl = await connectControl(seed);
  let writer: ClusterWriter | null = null;
  let primaries: string[] | null = null;
  const primaryControls = async <T>(fn: (c: Redis) => Promise<T>): Promise<T[]> => {
    const list = primaries ?? (await discoverPrimaries(seedControl));
    primaries = list;
    return Promise.all(
      list.map(async (hp) => {
        const c = await connectControl(primaryEndpoint(seed, hp));
        try {
          return await fn(c);
        } finally {
          c.disconnect();
        }
      }),
    );
  };
  const sample = new Cluster([{ host: seed.host, port: seed.port }], {
    redisOptions: { username: seed.username, password: seed.password, tls: seed.tls ? { ...seed.tls } : undefined },
    lazyConnect: true,
  });
  sample.on('error', () => undefined);
  return {
    description: `cluster://${nodes.map((n) => `${n.host}:${n.port}`).join(',')}`,
    isCluster: true,
    capabilities: async () => capabilitiesFromInfo(await seedControl.info('server')),
    async keyCounts() {
      const counts = await primaryControls((c) => c.dbsize());
      const total = counts.reduce((a, b) => a + b, 0);
      return new Map(total > 0 ? [[0, total]] : []);
    },
    async flush(withFunctions) {
      await primaryControls(async (c) => {
        await c.flushall();
        if (withFunctions) await c.call('FUNCTION', 'FLUSH');
      });
    },
    async openWriter(caps, options) {
      writer = await ClusterWriter.open(nodes, caps, options);
      primaries = writer.primaries;
      return writer;
    },
    sampleClient: () => ({
      select: async () => undefined,
      dumpBuffer: (key: Buffer) => sample.dumpBuffer(key),
      pttl: (key: Buffer) => sample.pttl(key),
    }),
    async close() {
      seedControl.disconnect();
      sample.disconnect();
    },
  };
}

async function discoverPrimaries(control: Redis): Promise<string[]> {
  const text = String(await control.call('CLUSTER', 'NODES'));
  return text
    .split('\n')
    .map((l) => l.split(' '))
    .filter((f) => f.length > 2 && f[2].includes('master') && !f[2].includes('fail'))
    .map((f) => f[1].split('@')[0]);
}
