/**
 * The backup function: one source per invocation, from its EventBridge Scheduler
 * schedule ({source, trigger: 'schedule', scheduledTime}) or from the on-demand
 * backup state machine the API starts ({source, trigger: 'api', requestId}).
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import middy, { MiddlewareObj } from '@middy/core';
import validator from '@middy/validator';
import type { Context } from 'aws-lambda';
import { BackupEvent, METRIC, METRIC_DIMENSION, RuntimeSource } from '../../lib/config/runtime-config';
import { runAofBackup } from '../backup/aof-run';
import { runBackup } from '../backup/run-backup';
import { RedisEndpoint } from '../capture/endpoint';
import { AnySnapshotManifest, isAofManifest, keysOf } from '../catalog/snapshot-kind';
import { SnapshotStore } from '../store/store';
import { unknownSource } from './errors';
import { createObservability, describeError, Observability, powertools } from './observability';
import { findSource } from './runtime';
import { endpointSecret, endpointWith, secretOf, secretsManagerSecrets, SecretsMiddleware } from './secrets';
import { serviceFromEnv, ServiceProvider } from './service';
import { compileSchema, NAME_SCHEMA } from './validation';

export type { BackupEvent };

export interface BackupResult {
  source: string;
  snapshotId: string;
  /** rdb: the RDB's snapshot; aof: a snapshot of the server's AOF (docs/aof.md). */
  kind: AnySnapshotManifest['kind'];
  /** Keys in the snapshot; for an AOF, the keys of its base's RDB preamble (0 when there is none). */
  keys: number;
  /** aof: the files stored (AOF manifest, base, incr files). */
  files?: number;
  rawBytes: number;
  storedBytes: number;
  durationMs: number;
}

export interface BackupDeps {
  service: ServiceProvider;
  secrets: SecretsMiddleware;
  observability: Observability;
  /** Abort this long before the function's timeout, so that the run cleans up (upload aborted, lock released) instead of being killed. Default 20 s. */
  abortMarginMs?: number;
}

const eventSchema = compileSchema<BackupEvent>({
  type: 'object',
  required: ['source'],
  properties: {
    source: NAME_SCHEMA,
    trigger: { enum: ['schedule', 'api', 'manual'] },
    scheduledTime: { type: 'string' },
    requestId: { type: 'string', maxLength: 256 },
  },
});

function emitSuccess(obs: Observability, source: string, manifest: AnySnapshotManifest): void {
  const { metrics } = obs;
  metrics.addDimension(METRIC_DIMENSION.source, source);
  const seconds = Math.max(0.001, manifest.timings.totalMs / 1000);
  metrics.addMetric(METRIC.backupDuration, MetricUnit.Seconds, manifest.timings.totalMs / 1000);
  metrics.addMetric(METRIC.backupRawBytes, MetricUnit.Bytes, manifest.raw.bytes);
  metrics.addMetric(METRIC.backupStoredBytes, MetricUnit.Bytes, manifest.stored.bytes);
  metrics.addMetric(METRIC.backupThroughput, MetricUnit.BytesPerSecond, Math.round(manifest.raw.bytes / seconds));
  metrics.addMetric(METRIC.backupSucceeded, MetricUnit.Count, 1);
  metrics.addMetric(METRIC.backupFailed, MetricUnit.Count, 0);
}

/** Counts a failure anywhere (validation, secret, capture, store) before the metrics are flushed. */
function failureMetric(deps: BackupDeps): MiddlewareObj<BackupEvent> {
  return {
    onError: async (request) => {
      const { logger, metrics } = deps.observability;
      const source = typeof request.event?.source === 'string' ? findSource(deps.service().config, request.event.source) : undefined;
      // Only configured names become dimensions: an arbitrary one would make a new metric.
      if (source !== undefined) metrics.addDimension(METRIC_DIMENSION.source, source.name);
      metrics.addMetric(METRIC.backupSucceeded, MetricUnit.Count, 0);
      metrics.addMetric(METRIC.backupFailed, MetricUnit.Count, 1);
      logger.error('Backup failed', { error: describeError(request.error), cause: request.error ?? undefined });
    },
  };
}

/** An AOF source (bgsave with `aof`) is captured by the AOF engine; every other source as an RDB. */
function takeBackup(source: RuntimeSource, endpoint: RedisEndpoint, store: SnapshotStore, signal: AbortSignal): Promise<AnySnapshotManifest> {
  if (source.aof) {
    return runAofBackup({
      store,
      source: source.name,
      endpoint,
      dataDir: source.dataDir ?? '',
      rewrite: source.aof.rewrite,
      compressionLevel: source.compressionLevel,
      signal,
    });
  }
  return runBackup({
    store,
    source: source.name,
    endpoint,
    method: source.method,
    dataDir: source.dataDir ?? undefined,
    dbfilename: source.dbfilename ?? undefined,
    syncCommand: source.syncCommand ?? undefined,
    chunkBytes: source.chunkBytes,
    compressionLevel: source.compressionLevel,
    signal,
  });
}

export function createBackupHandler(deps: BackupDeps): middy.MiddyfiedHandler<BackupEvent, BackupResult, Error, Context> {
  const obs = deps.observability;
  const margin = deps.abortMarginMs ?? 20_000;
  const sourceOf = (event: BackupEvent): RuntimeSource => {
    const source = findSource(deps.service().config, event.source);
    if (source === undefined) throw unknownSource(event.source);
    return source;
  };

  const backup = async (event: BackupEvent, context: Context): Promise<BackupResult> => {
    const { store } = deps.service();
    const source = sourceOf(event);
    obs.logger.appendKeys({ source: source.name, trigger: event.trigger ?? 'direct', scheduledTime: event.scheduledTime });
    const endpoint = endpointWith(source.endpoint, endpointSecret(context, source.endpoint.secretArn));
    const budgetMs = context.getRemainingTimeInMillis() - margin;
    obs.logger.info('Backup starting', { endpoint: `${source.endpoint.host}:${source.endpoint.port}`, method: source.method, kind: source.aof ? 'aof' : 'rdb', budgetMs });
    const signal = AbortSignal.timeout(Math.max(1000, budgetMs));
    const manifest = await takeBackup(source, endpoint, store, signal);
    emitSuccess(obs, source.name, manifest);
    const result: BackupResult = {
      source: source.name,
      snapshotId: manifest.snapshotId,
      kind: manifest.kind,
      keys: keysOf(manifest) ?? 0,
      ...(isAofManifest(manifest) ? { files: manifest.files.length } : {}),
      rawBytes: manifest.raw.bytes,
      storedBytes: manifest.stored.bytes,
      durationMs: manifest.timings.totalMs,
    };
    obs.logger.info('Backup committed', { ...result });
    return result;
  };

  return middy<BackupEvent, BackupResult, Error, Context>(backup)
    .use(powertools(obs, 'requestId'))
    .use(failureMetric(deps))
    .use(validator({ eventSchema }))
    .use(deps.secrets((event: BackupEvent) => secretOf(sourceOf(event).endpoint)));
}

export const handler = createBackupHandler({ service: serviceFromEnv, secrets: secretsManagerSecrets(), observability: createObservability() });
