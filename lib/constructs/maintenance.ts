import { Duration, TimeZone } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import { Construct } from 'constructs';
import { freshnessFunctionEnv, pruneFunctionEnv } from '../config/function-env';
import { FreshnessEvent, METRIC, METRIC_DIMENSION, PruneEvent } from '../config/runtime-config';
import { runtimeSource } from '../config/to-runtime';
import { ResolvedConfig } from '../config/types';
import { configuredFunctionProps, ServiceFunction } from './service-function';
import { ServicePartProps } from './service-part';

export interface MaintenanceProps extends ServicePartProps {
  scheduleGroup: scheduler.IScheduleGroup;
}

/** When prune runs: daily at 04:30 UTC, within a one-hour flexible window. */
export const PRUNE_SCHEDULE = 'cron(30 4 * * ? *)';
/** How often freshness is measured. */
export const FRESHNESS_SCHEDULE = 'rate(15 minutes)';
export const FRESHNESS_PERIOD = Duration.minutes(15);

/** The age of a source's newest committed snapshot, as published by the freshness function. */
export function snapshotAgeMetric(config: ResolvedConfig, source: string, period = FRESHNESS_PERIOD): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: config.metricsNamespace,
    metricName: METRIC.snapshotAge,
    dimensionsMap: { [METRIC_DIMENSION.service]: config.serviceName, [METRIC_DIMENSION.source]: source },
    statistic: 'Maximum',
    period,
  });
}

/**
 * Prune (daily: each source's retention policy, plus leftovers of failed runs) and freshness
 * (every 15 minutes: the age of each source's newest committed snapshot as a metric, with an
 * alarm per source when it exceeds the source's threshold, 2x its schedule interval).
 */
export class Maintenance extends Construct {
  readonly prune: ServiceFunction;
  readonly freshness: ServiceFunction;
  readonly freshnessAlarms = new Map<string, cloudwatch.Alarm>();

  constructor(scope: Construct, id: string, props: MaintenanceProps) {
    super(scope, id);
    const { config, store, alerting } = props;
    const sources = config.sources.map(runtimeSource);
    const names = config.sources.map((s) => s.name);
    const shared = { ...configuredFunctionProps(config.functions, props.removalPolicy), asyncFailureQueue: alerting.deadLetters };

    // Prune lists and deletes objects: no VPC (S3 only), small memory; 15 minutes for stores with many snapshots.
    this.prune = new ServiceFunction(this, 'PruneFunction', {
      handler: 'prune',
      description: 'redis-backup: apply each source\'s retention policy and remove what failed runs left',
      memoryMiB: 512,
      timeout: Duration.minutes(15),
      environment: pruneFunctionEnv(props.common, sources),
      retryAttempts: 1,
      maxEventAge: Duration.hours(6),
      ...shared,
    });
    for (const statement of store.pruneStatements(this, names)) this.prune.role.addToPrincipalPolicy(statement);
    const pruneEvent: PruneEvent = { trigger: 'schedule' };
    new scheduler.Schedule(this, 'PruneSchedule', {
      description: 'redis-backup: daily prune',
      schedule: scheduler.ScheduleExpression.expression(PRUNE_SCHEDULE, TimeZone.ETC_UTC),
      scheduleGroup: props.scheduleGroup,
      timeWindow: scheduler.TimeWindow.flexible(Duration.hours(1)),
      target: new targets.LambdaInvoke(this.prune.fn, {
        input: scheduler.ScheduleTargetInput.fromObject(pruneEvent),
        deadLetterQueue: alerting.deadLetters,
        retryAttempts: 3,
        maxEventAge: Duration.hours(6),
      }),
    });
    alerting.addAlarm('PruneFailedAlarm', this.prune.fn.metricErrors({ period: Duration.minutes(15), statistic: 'Sum' }), {
      name: 'prune-failed',
      description: 'The daily prune failed: old snapshots are not being removed (storage grows). See the prune function\'s log group.',
      threshold: 1,
    });

    // Freshness reads manifests: no VPC, 256 MiB, a short timeout (it runs every 15 minutes).
    this.freshness = new ServiceFunction(this, 'FreshnessFunction', {
      handler: 'freshness',
      description: 'redis-backup: publish the age of each source\'s newest committed snapshot',
      memoryMiB: 256,
      timeout: Duration.minutes(2),
      environment: freshnessFunctionEnv(props.common, sources),
      retryAttempts: 0,
      maxEventAge: Duration.minutes(10),
      ...shared,
    });
    for (const statement of store.readStatements(this, names)) this.freshness.role.addToPrincipalPolicy(statement);
    const freshnessEvent: FreshnessEvent = { trigger: 'schedule' };
    new scheduler.Schedule(this, 'FreshnessSchedule', {
      description: 'redis-backup: snapshot freshness every 15 minutes',
      schedule: scheduler.ScheduleExpression.expression(FRESHNESS_SCHEDULE),
      scheduleGroup: props.scheduleGroup,
      timeWindow: scheduler.TimeWindow.off(),
      target: new targets.LambdaInvoke(this.freshness.fn, {
        input: scheduler.ScheduleTargetInput.fromObject(freshnessEvent),
        deadLetterQueue: alerting.deadLetters,
        retryAttempts: 2,
        maxEventAge: Duration.minutes(10),
      }),
    });
    alerting.addAlarm('FreshnessFailedAlarm', this.freshness.fn.metricErrors({ period: Duration.minutes(15), statistic: 'Sum' }), {
      name: 'freshness-check-failed',
      description: 'The freshness check failed: snapshot ages are not being measured (the per-source freshness alarms will follow).',
      threshold: 1,
    });

    for (const source of config.sources) {
      const hours = (source.maxAgeSeconds / 3600).toFixed(source.maxAgeSeconds % 3600 === 0 ? 0 : 2);
      this.freshnessAlarms.set(
        source.name,
        alerting.addAlarm(`Freshness-${source.name}`, snapshotAgeMetric(config, source.name), {
          name: `snapshot-stale-${source.name}`,
          description: `The newest committed snapshot of ${source.name} is older than ${hours} h (2x its schedule interval unless configured), or none exists, or its age is not being measured.`,
          threshold: source.maxAgeSeconds,
          comparison: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: 2,
          datapointsToAlarm: 2,
          // No data for 30 minutes means no committed snapshot, or no measurement: both need attention.
          treatMissingData: cloudwatch.TreatMissingData.BREACHING,
        }),
      );
    }
  }
}
