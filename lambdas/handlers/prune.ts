/**
 * The prune function, on a daily schedule: applies each source's retention
 * policy (sources without one are left alone) and cleans up what failed runs
 * left. One source failing does not stop the others; the invocation fails at
 * the end if any did.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import middy from '@middy/core';
import validator from '@middy/validator';
import type { Context } from 'aws-lambda';
import { pruneSource } from '../catalog/prune';
import { METRIC_DIMENSION, PruneEvent } from '../../lib/config/runtime-config';
import { createObservability, describeError, Observability, powertools } from './observability';
import { serviceFromEnv, ServiceProvider } from './service';
import { compileSchema, NAME_SCHEMA } from './validation';

export type { PruneEvent };

export interface PruneSourceResult {
  source: string;
  ok: boolean;
  kept: number;
  deleted: string[];
  /** Uncommitted snapshots and incomplete uploads cleaned up (or planned, in a dry run). */
  orphans: number;
  error?: { code: string; message: string };
}

export interface PruneResult {
  dryRun: boolean;
  sources: PruneSourceResult[];
}

export interface PruneDeps {
  service: ServiceProvider;
  observability: Observability;
  now?: () => Date;
}

export const PRUNE_METRICS = { deleted: 'PrunedSnapshots', kept: 'KeptSnapshots', failed: 'PruneFailed' } as const;

export class PruneFailedError extends Error {
  readonly code = 'PRUNE_FAILED';
  constructor(readonly result: PruneResult) {
    const failed = result.sources.filter((s) => !s.ok);
    super(`Pruning failed for ${failed.map((s) => `${s.source} (${s.error?.message ?? 'unknown error'})`).join('; ')}`);
    this.name = 'PruneFailedError';
  }
}

const eventSchema = compileSchema<PruneEvent>({
  type: 'object',
  properties: { trigger: { enum: ['schedule', 'api'] }, dryRun: { type: 'boolean' }, sources: { type: 'array', items: NAME_SCHEMA } },
});

export function createPruneHandler(deps: PruneDeps): middy.MiddyfiedHandler<PruneEvent, PruneResult, Error, Context> {
  const { logger, metrics } = deps.observability;
  const prune = async (event: PruneEvent): Promise<PruneResult> => {
    const { config, store } = deps.service();
    const dryRun = event.dryRun === true;
    const unknown = event.sources?.filter((name) => !config.sources.some((s) => s.name === name)) ?? [];
    if (unknown.length > 0) throw new Error(`No source named ${unknown.join(', ')} is configured`);
    const chosen = config.sources.filter((s) => s.retention !== null && (event.sources === undefined || event.sources.includes(s.name)));
    const results: PruneSourceResult[] = [];
    for (const source of chosen) {
      const policy = source.retention;
      if (policy === null) continue;
      let result: PruneSourceResult;
      try {
        const report = await pruneSource(store, source.name, { policy, dryRun, now: deps.now?.() });
        const planned = report.plan.remove.map((r) => r.id);
        result = { source: source.name, ok: true, kept: report.plan.keep.length, deleted: dryRun ? planned : report.deleted, orphans: report.orphans.snapshotIds.length + report.orphans.abortUploads.length };
        logger.info(dryRun ? 'Prune planned' : 'Pruned', { source: source.name, kept: result.kept, deleted: result.deleted, orphans: result.orphans });
      } catch (e) {
        result = { source: source.name, ok: false, kept: 0, deleted: [], orphans: 0, error: describeError(e) };
        logger.error('Prune failed', { source: source.name, error: result.error, cause: e });
      }
      results.push(result);
      if (!dryRun) {
        metrics.addDimension(METRIC_DIMENSION.source, source.name);
        metrics.addMetric(PRUNE_METRICS.deleted, MetricUnit.Count, result.deleted.length);
        metrics.addMetric(PRUNE_METRICS.kept, MetricUnit.Count, result.kept);
        metrics.addMetric(PRUNE_METRICS.failed, MetricUnit.Count, result.ok ? 0 : 1);
        metrics.publishStoredMetrics();
      }
    }
    // The run as a whole, without the source dimension: one alarm covers every source.
    metrics.addMetric(PRUNE_METRICS.failed, MetricUnit.Count, results.filter((r) => !r.ok).length);
    const out: PruneResult = { dryRun, sources: results };
    if (results.some((r) => !r.ok)) throw new PruneFailedError(out);
    return out;
  };
  return middy<PruneEvent, PruneResult, Error, Context>(prune).use(powertools(deps.observability)).use(validator({ eventSchema }));
}

export const handler = createPruneHandler({ service: serviceFromEnv, observability: createObservability() });
