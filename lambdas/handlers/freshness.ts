/**
 * The freshness check, on a schedule: per source, the age of its newest
 * committed snapshot as the metric SnapshotAgeSeconds (dimension Source). A
 * source without any emits no age (an alarm treating missing data as breaching
 * catches it) and counts in SourcesWithoutSnapshot.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import middy from '@middy/core';
import validator from '@middy/validator';
import type { Context } from 'aws-lambda';
import { newestCommitted } from './catalog-view';
import { FreshnessEvent, METRIC, METRIC_DIMENSION } from '../../lib/config/runtime-config';
import { createObservability, describeError, Observability, powertools } from './observability';
import { serviceFromEnv, ServiceProvider } from './service';
import { compileSchema } from './validation';

export type { FreshnessEvent };

export interface SourceFreshness {
  source: string;
  snapshotId: string | null;
  takenAt: string | null;
  ageSeconds: number | null;
  /** Older than the source's maxAgeSeconds, or without a snapshot. */
  stale: boolean;
  error?: { code: string; message: string };
}

export interface FreshnessDeps {
  service: ServiceProvider;
  observability: Observability;
  now?: () => Date;
}

/** METRIC.snapshotAge per source; these two without the source dimension. */
export const FRESHNESS_METRICS = { missing: 'SourcesWithoutSnapshot', failed: 'FreshnessCheckFailed' } as const;

const eventSchema = compileSchema<FreshnessEvent>({ type: 'object', properties: { trigger: { enum: ['schedule'] } } });

export function createFreshnessHandler(deps: FreshnessDeps): middy.MiddyfiedHandler<FreshnessEvent, SourceFreshness[], Error, Context> {
  const { logger, metrics } = deps.observability;
  const check = async (): Promise<SourceFreshness[]> => {
    const { config, store } = deps.service();
    const now = deps.now?.() ?? new Date();
    const results: SourceFreshness[] = [];
    for (const source of config.sources) {
      try {
        const manifest = await newestCommitted(store, source.name);
        if (manifest === null) {
          results.push({ source: source.name, snapshotId: null, takenAt: null, ageSeconds: null, stale: true });
          logger.warn('No committed snapshot', { source: source.name });
          continue;
        }
        const ageSeconds = Math.max(0, Math.round((now.getTime() - Date.parse(manifest.startedAt)) / 1000));
        const stale = ageSeconds > source.maxAgeSeconds;
        results.push({ source: source.name, snapshotId: manifest.snapshotId, takenAt: manifest.startedAt, ageSeconds, stale });
        metrics.addDimension(METRIC_DIMENSION.source, source.name);
        metrics.addMetric(METRIC.snapshotAge, MetricUnit.Seconds, ageSeconds);
        metrics.publishStoredMetrics();
        (stale ? logger.warn : logger.info).call(logger, 'Snapshot age', { source: source.name, snapshotId: manifest.snapshotId, ageSeconds, maxAgeSeconds: source.maxAgeSeconds });
      } catch (e) {
        results.push({ source: source.name, snapshotId: null, takenAt: null, ageSeconds: null, stale: true, error: describeError(e) });
        logger.error('Freshness check failed', { source: source.name, error: describeError(e), cause: e });
      }
    }
    metrics.addMetric(FRESHNESS_METRICS.missing, MetricUnit.Count, results.filter((r) => r.snapshotId === null && r.error === undefined).length);
    metrics.addMetric(FRESHNESS_METRICS.failed, MetricUnit.Count, results.filter((r) => r.error !== undefined).length);
    return results;
  };
  return middy<FreshnessEvent, SourceFreshness[], Error, Context>(check).use(powertools(deps.observability)).use(validator({ eventSchema }));
}

export const handler = createFreshnessHandler({ service: serviceFromEnv, observability: createObservability() });
