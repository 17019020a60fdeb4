/** The restore's outcome metrics (METRIC.restore*, dimension source): published by its last step, or by the step that fails. */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { METRIC, METRIC_DIMENSION, RestoreState } from '../../../lib/config/runtime-config';

export function restoreOutcome(metrics: Metrics, state: Pick<RestoreState, 'source' | 'requestedAt'>, ok: boolean, now = Date.now()): void {
  metrics.addDimension(METRIC_DIMENSION.source, state.source);
  const started = Date.parse(state.requestedAt);
  if (Number.isFinite(started)) metrics.addMetric(METRIC.restoreDuration, MetricUnit.Seconds, Math.max(0, (now - started) / 1000));
  metrics.addMetric(METRIC.restoreSucceeded, MetricUnit.Count, ok ? 1 : 0);
  metrics.addMetric(METRIC.restoreFailed, MetricUnit.Count, ok ? 0 : 1);
}
