import { randomBytes } from 'node:crypto';
/** GET /sources, GET /sources/{source}/snapshots[/{id}], POST /sources/{source}/snapshots. */
import { RuntimeSource } from '../../../lib/config/runtime-config';
import { describeEndpoint } from '../../capture/endpoint';
import { readSnapshotManifest } from '../../catalog/catalog';
import { newestCommitted, snapshotFolders, snapshotPage, summarize } from '../catalog-view';
import { lockKey } from '../../store/layout';
import { SnapshotStore } from '../../store/store';
import { RequestError, unknownSource } from '../errors';
import { findSource, RuntimeConfig } from '../runtime';
import { ApiDeps } from './deps';
import { ApiEvent, ApiResponse, caller, json, param } from './http';
import { encodeCursor, pageRequest } from './paging';

function configuredSource(config: RuntimeConfig, event: ApiEvent): RuntimeSource {
  const name = param(event, 'source');
  const source = findSource(config, name);
  // In the path, an unknown source is a resource that does not exist.
  if (source === undefined) throw unknownSource(name, 404);
  return source;
}

export async function listSources(_event: ApiEvent, deps: ApiDeps): Promise<ApiResponse> {
  const { config, store } = deps.service();
  const now = (deps.now?.() ?? new Date()).getTime();
  const sources = await Promise.all(
    config.sources.map(async (s) => {
      const newest = await newestCommitted(store, s.name);
      return {
        name: s.name,
        endpoint: describeEndpoint({ host: s.endpoint.host, port: s.endpoint.port, tls: s.endpoint.tls ?? undefined }),
        method: s.method,
        restoreTargets: config.targets.filter((t) => t.sources === undefined || t.sources.includes(s.name)).map((t) => t.name),
        schedule: s.schedule,
        retention: s.retention,
        maxAgeSeconds: s.maxAgeSeconds,
        latest: newest === null ? null : { snapshotId: newest.snapshotId, takenAt: newest.startedAt, ageSeconds: Math.round((now - Date.parse(newest.startedAt)) / 1000) },
      };
    }),
  );
  const targets = config.targets.map((t) => ({ name: t.name, kind: t.kind, mode: t.mode, allowFlush: t.allowFlush, replicas: t.replicas.length, sources: t.sources ?? null }));
  return json(200, { sources, targets });
}

export async function listSnapshots(event: ApiEvent, deps: ApiDeps): Promise<ApiResponse> {
  const { config, store } = deps.service();
  const source = configuredSource(config, event);
  const page = await snapshotPage(store, source.name, pageRequest(event));
  return json(200, { source: source.name, snapshots: page.snapshots, nextCursor: page.nextAfter === null ? null : encodeCursor(page.nextAfter) });
}

export async function getSnapshot(event: ApiEvent, deps: ApiDeps): Promise<ApiResponse> {
  const { config, store } = deps.service();
  const source = configuredSource(config, event);
  const manifest = await readSnapshotManifest(store, source.name, param(event, 'id'));
  const folder = (await snapshotFolders(store, source.name)).find((f) => f.snapshotId === manifest.snapshotId);
  const summary = folder === undefined ? null : summarize(folder, manifest);
  return json(200, { ...summary, source: source.name, snapshotId: manifest.snapshotId, status: 'committed', manifest });
}

/** An on-demand backup's id (its correlation id and execution name): b<UTC time>-<6 hex digits>, like restore ids. */
export function newBackupRequestId(now = new Date()): string {
  return `b${now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '')}-${randomBytes(3).toString('hex')}`;
}

/** The backup lock of a source while a run holds it. */
async function heldLock(store: SnapshotStore, source: string, now: Date): Promise<{ owner: string; expiresAt: string } | null> {
  const bytes = await store.get(lockKey(source));
  if (bytes === null) return null;
  try {
    const lock = JSON.parse(bytes.toString('utf8')) as { owner?: unknown; expiresAt?: unknown };
    if (typeof lock.expiresAt !== 'string' || !(Date.parse(lock.expiresAt) > now.getTime())) return null;
    return { owner: String(lock.owner), expiresAt: lock.expiresAt };
  } catch {
    return null; // torn: it expires like any other, and the backup judges it
  }
}

export async function startBackup(event: ApiEvent, deps: ApiDeps): Promise<ApiResponse> {
  const { config, store } = deps.service();
  const source = configuredSource(config, event);
  const lock = await heldLock(store, source.name, deps.now?.() ?? new Date());
  if (lock !== null) throw new RequestError(409, 'BACKUP_IN_PROGRESS', `A backup of ${source.name} is running (${lock.owner}; its lock holds until ${lock.expiresAt})`);
  const now = deps.now?.() ?? new Date();
  const requestId = newBackupRequestId(now);
  await deps.backups().start({ source: source.name, requestId, requestedAt: now.toISOString() });
  deps.observability.logger.info('On-demand backup requested', { source: source.name, backupRequestId: requestId, caller: caller(event) });
  return json(202, { requestId, source: source.name, status: 'accepted' }, { Location: `/sources/${source.name}/snapshots` });
}
