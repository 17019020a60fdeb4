/**
 * From the resolved configuration to what the functions see at run time (./runtime-config.ts):
 * secret ARNs, never secret values; EFS directories as mounted inside the functions.
 */
import { DEFAULTS } from './defaults';
import { RuntimeEndpoint, RuntimeSource, RuntimeTarget, RestoreMode, RestoreTargetKind } from './runtime-config';
import { CredentialsConfig, ResolvedEfs, ResolvedEndpoint, ResolvedSource, ResolvedTarget } from './types';

/** Where an EFS directory is inside a function that mounts its access point at DEFAULTS.efsMountPath. */
export function mountedDir(efs: ResolvedEfs): string {
  return efs.path === '' ? DEFAULTS.efsMountPath : `${DEFAULTS.efsMountPath}/${efs.path.replace(/\/+$/, '')}`;
}

function endpoint(e: ResolvedEndpoint, credentials: CredentialsConfig | null): RuntimeEndpoint {
  return { host: e.host, port: e.port, tls: e.tls, secretArn: credentials?.secretArn ?? null };
}

export function runtimeSource(s: ResolvedSource): RuntimeSource {
  return {
    name: s.name,
    endpoint: endpoint(s.endpoint, s.credentials),
    method: s.method,
    dataDir: s.efs ? mountedDir(s.efs) : null,
    dbfilename: s.efs?.dbfilename ?? null,
    syncCommand: s.syncCommand,
    aof: s.aof ? { rewrite: s.rewrite } : null,
    chunkBytes: s.chunkBytes,
    compressionLevel: s.compressionLevel,
    retention: s.retention,
    schedule: { expression: s.schedule.expression, timeZone: s.schedule.timeZone, intervalSeconds: s.schedule.intervalSeconds },
    maxAgeSeconds: s.maxAgeSeconds,
  };
}

export const MODE_OF_KIND: Record<RestoreTargetKind, RestoreMode> = { server: 'load', cluster: 'cluster', directory: 'file' };

export function runtimeTarget(t: ResolvedTarget): RuntimeTarget {
  return {
    name: t.name,
    kind: t.kind,
    endpoint: t.endpoint ? endpoint(t.endpoint, t.credentials) : null,
    mode: MODE_OF_KIND[t.kind],
    dataDir: t.efs ? mountedDir(t.efs) : null,
    dbfilename: t.efs?.dbfilename ?? 'dump.rdb',
    allowFlush: t.allowFlush,
    replicas: t.replicas,
    ...(t.sources !== null ? { sources: t.sources } : {}),
  };
}
