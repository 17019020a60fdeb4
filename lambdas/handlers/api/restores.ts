/** POST /restores (validated, the snapshot resolved to an id, the record filed, the state machine started) and GET /restores/{id}. */
import { RestoreExecutionInput, RestoreMode, RestoreRequestOptions, RestoreSnapshotSelector } from '../../../lib/config/runtime-config';
import { CatalogError } from '../../catalog/errors';
import { newRestoreId } from '../../restore/restore-record';
import { resolveSelector } from '../catalog-view';
import { notFound, RequestError } from '../errors';
import { describeError } from '../observability';
import { createRecord, markFailed } from '../restore/records';
import { checkKindOptions } from '../restore/aof';
import { resolveRestore } from '../restore/targets';
import { ApiDeps } from './deps';
import { ApiEvent, ApiResponse, caller, json, param } from './http';
import { restoreStatus } from './restore-status';

/** The body of POST /restores as the event schema lets it through (RestoreRequestBody, with mode defaulting to the target's). */
export interface RestoreRequest {
  source: string;
  snapshot: RestoreSnapshotSelector;
  target: string;
  mode?: RestoreMode;
  options?: RestoreRequestOptions;
}

export async function startRestore(event: ApiEvent, deps: ApiDeps): Promise<ApiResponse> {
  const { config, store } = deps.service();
  const body = event.body as RestoreRequest;
  // Names only: the target is looked up in the configuration, never taken from the request.
  const { source, target, mode } = resolveRestore(config, body);
  // Resolved now: "latest" means the newest snapshot when the request was made.
  const manifest = await resolveSelector(store, source.name, body.snapshot).catch((e: unknown) => {
    if (e instanceof CatalogError && (e.code === 'CATALOG_SNAPSHOT_NOT_FOUND' || e.code === 'CATALOG_NO_SNAPSHOTS')) throw new RequestError(400, 'UNKNOWN_SNAPSHOT', e.message, 'snapshot');
    throw e;
  });
  checkKindOptions(manifest, target, body.options ?? {});
  const now = deps.now?.() ?? new Date();
  const input: RestoreExecutionInput = {
    restoreId: newRestoreId(now),
    source: source.name,
    snapshot: manifest.snapshotId,
    target: target.name,
    mode,
    options: body.options ?? {},
    requestedAt: now.toISOString(),
  };
  // Filed before the execution starts, so that GET /restores/{id} answers at once.
  const record = await createRecord(store, input, target, manifest.snapshotId);
  try {
    await deps.restores().start(input);
  } catch (e) {
    await markFailed(store, record, { code: 'RESTORE_START_FAILED', message: describeError(e).message }).catch(() => undefined);
    throw e;
  }
  deps.observability.logger.info('Restore started', { restoreId: input.restoreId, source: source.name, snapshotId: manifest.snapshotId, target: target.name, mode, caller: caller(event) });
  return json(202, { restoreId: input.restoreId, source: source.name, snapshotId: manifest.snapshotId, target: target.name, mode, status: 'running' }, { Location: `/restores/${input.restoreId}` });
}

export async function getRestore(event: ApiEvent, deps: ApiDeps): Promise<ApiResponse> {
  const id = param(event, 'id');
  const status = await restoreStatus(deps.service(), id, { starter: deps.restores, logger: deps.observability.logger });
  if (status === null) throw notFound(`No restore ${id}`);
  return json(200, status);
}
