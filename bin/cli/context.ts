import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { defaultSourceName, parseRedisUrl, RedisEndpoint } from '../../lambdas/capture/endpoint';
import { listSources } from '../../lambdas/catalog/catalog';
import { CatalogError } from '../../lambdas/catalog/errors';
import { isValidSourceName } from '../../lambdas/store/layout';
import { openStore } from '../../lambdas/store/open-store';
import { SnapshotStore } from '../../lambdas/store/store';
import { globalOptions, GlobalOptions } from './global-options';

export const DEFAULT_SOURCE_URL = 'redis://127.0.0.1:6379';

export function storeFor(cmd: Command): { store: SnapshotStore; globals: GlobalOptions } {
  const globals = globalOptions(cmd);
  return { store: openStore(globals.store), globals };
}

/**
 * The source name a command works on: --name, else the only source in the store.
 * Commands that create snapshots derive it from the endpoint instead.
 */
export async function sourceNameFor(store: SnapshotStore, globals: GlobalOptions): Promise<string> {
  if (globals.name !== undefined) {
    if (!isValidSourceName(globals.name)) throw new CatalogError('CATALOG_BAD_SOURCE', `Invalid source name ${JSON.stringify(globals.name)}`, { source: globals.name });
    return globals.name;
  }
  const sources = await listSources(store);
  if (sources.length === 1) return sources[0];
  if (sources.length === 0) throw new CatalogError('CATALOG_NO_SNAPSHOTS', `No snapshots in ${store.url} yet (take one with 'redis-backup backup')`, {});
  throw new CatalogError('CATALOG_BAD_SOURCE', `${store.url} holds several sources (${sources.join(', ')}): choose one with --name`, {});
}

/** Options that describe how to reach a Redis server, shared by backup and restore. */
export function addConnectionOptions(cmd: Command, urlFlag: string, urlEnv: string, description: string): Command {
  return cmd
    .addOption(new Option(`${urlFlag} <url>`, description).env(urlEnv).default(DEFAULT_SOURCE_URL))
    .addOption(new Option('--password <password>', 'password (prefer the environment variable or a URL without it in shell history)').env('REDIS_BACKUP_PASSWORD'))
    .option('--user <user>', 'ACL user name')
    .option('--tls-ca <file>', 'CA certificate (PEM) to verify the server with')
    .option('--tls-cert <file>', 'client certificate (PEM)')
    .option('--tls-key <file>', 'client private key (PEM)')
    .option('--tls-servername <name>', 'server name for SNI and certificate checks');
}

export interface ConnectionFlags {
  password?: string;
  user?: string;
  tlsCa?: string;
  tlsCert?: string;
  tlsKey?: string;
  tlsServername?: string;
}

export function endpointFrom(url: string, flags: ConnectionFlags): RedisEndpoint {
  const endpoint = parseRedisUrl(url);
  if (flags.password !== undefined && endpoint.password === undefined) endpoint.password = flags.password;
  if (flags.user !== undefined) endpoint.username = flags.user;
  if (flags.tlsCa || flags.tlsCert || flags.tlsKey || flags.tlsServername) {
    endpoint.tls = {
      ...endpoint.tls,
      ...(flags.tlsCa ? { ca: readFileSync(flags.tlsCa) } : {}),
      ...(flags.tlsCert ? { cert: readFileSync(flags.tlsCert) } : {}),
      ...(flags.tlsKey ? { key: readFileSync(flags.tlsKey) } : {}),
      ...(flags.tlsServername ? { servername: flags.tlsServername } : {}),
    };
  }
  return endpoint;
}

export function sourceNameForEndpoint(globals: GlobalOptions, endpoint: RedisEndpoint): string {
  return globals.name ?? defaultSourceName(endpoint);
}

/** Parses a positive size in MiB from a flag. */
export function mebibytes(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${flag} takes a positive number of MiB, not ${JSON.stringify(value)}`);
  return Math.round(n * 1024 * 1024);
}

/** Parses a zstd level from a flag. */
export function compressionLevel(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < -7 || n > 22) throw new Error(`--compression-level takes a whole number from -7 to 22, not ${JSON.stringify(value)}`);
  return n;
}
