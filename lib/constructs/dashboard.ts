import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { METRIC, METRIC_DIMENSION } from '../config/runtime-config';
import { ResolvedConfig } from '../config/types';
import { snapshotAgeMetric } from './maintenance';

export interface BackupDashboardProps {
  config: ResolvedConfig;
  restoreStateMachine: sfn.IStateMachine;
  functions: Array<{ label: string; fn: lambda.IFunction }>;
  deadLetters: sqs.IQueue;
  alarms: cloudwatch.IAlarm[];
}

/** A custom metric of one source (see METRIC in runtime-config.ts). */
export function sourceMetric(config: ResolvedConfig, name: string, source: string, statistic: string, period = Duration.hours(1)): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: config.metricsNamespace,
    metricName: name,
    dimensionsMap: { [METRIC_DIMENSION.service]: config.serviceName, [METRIC_DIMENSION.source]: source },
    statistic,
    period,
    label: source,
  });
}

/**
 * A half-width graph: `left` on an axis from 0 (unless `leftYAxis` says otherwise), and
 * `right`, when given, on a second axis from 0.
 */
function graph(title: string, left: cloudwatch.IMetric[], options: Pick<cloudwatch.GraphWidgetProps, 'right' | 'leftYAxis' | 'leftAnnotations'> = {}): cloudwatch.GraphWidget {
  const { right, leftYAxis = { min: 0 }, leftAnnotations } = options;
  return new cloudwatch.GraphWidget({
    title,
    width: 12,
    left,
    leftYAxis,
    ...(leftAnnotations === undefined ? {} : { leftAnnotations }),
    ...(right === undefined ? {} : { right, rightYAxis: { min: 0 } }),
  });
}

/** Backup duration, size, throughput and snapshot age per source; restore duration and outcomes; errors; alarms. */
export class BackupDashboard extends Construct {
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: BackupDashboardProps) {
    super(scope, id);
    const { config } = props;
    const perSource = (name: string, statistic: string): cloudwatch.IMetric[] => config.sources.map((s) => sourceMetric(config, name, s.name, statistic));
    const hours = (seconds: number): number => seconds / 3600;

    const age = graph(
      'Age of the newest committed snapshot (hours)',
      // Metric ids must be unique within a graph: age0, age1, ...
      config.sources.map(
        (s, i) => new cloudwatch.MathExpression({ expression: `age${i} / 3600`, usingMetrics: { [`age${i}`]: snapshotAgeMetric(config, s.name) }, label: s.name, period: Duration.minutes(15) }),
      ),
      {
        leftAnnotations: config.sources.map((s) => ({ value: hours(s.maxAgeSeconds), label: `${s.name} alarm`, color: cloudwatch.Color.RED })),
        leftYAxis: { min: 0, label: 'hours', showUnits: false },
      },
    );
    const duration = graph('Backup duration (seconds)', perSource(METRIC.backupDuration, 'Maximum'), { leftYAxis: { min: 0, label: 'seconds', showUnits: false } });
    const size = graph('Backup size: raw RDB (left) and stored after compression (right)', perSource(METRIC.backupRawBytes, 'Maximum'), { right: perSource(METRIC.backupStoredBytes, 'Maximum') });
    const throughput = graph('Backup throughput (raw bytes per second)', perSource(METRIC.backupThroughput, 'Average'));
    const outcomes = graph('Backups: succeeded and failed', perSource(METRIC.backupSucceeded, 'Sum'), { right: perSource(METRIC.backupFailed, 'Sum') });
    const executions = props.restoreStateMachine;
    const hourly = { statistic: 'Sum', period: Duration.hours(1) };
    const restoreDuration = graph(
      'Restore duration (minutes, state machine execution time)',
      [new cloudwatch.MathExpression({ expression: 'ms / 60000', usingMetrics: { ms: executions.metricTime({ ...hourly, statistic: 'Maximum' }) }, label: 'longest restore', period: Duration.hours(1) })],
      { leftYAxis: { min: 0, label: 'minutes', showUnits: false } },
    );
    const restores = graph('Restores: started, succeeded, failed', [
      executions.metricStarted({ ...hourly, label: 'started' }),
      executions.metricSucceeded({ ...hourly, label: 'succeeded' }),
      executions.metricFailed({ ...hourly, label: 'failed' }),
    ]);
    const errors = graph(
      'Function errors and dead letters',
      props.functions.map((f) => f.fn.metricErrors({ statistic: 'Sum', period: Duration.minutes(15), label: f.label })),
      { right: [props.deadLetters.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', period: Duration.minutes(15), label: 'dead letters' })] },
    );
    const alarms = new cloudwatch.AlarmStatusWidget({ title: 'Alarms', width: 24, alarms: props.alarms });

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: `${config.stackName}-${config.serviceName}`,
      defaultInterval: Duration.days(7),
      widgets: [[alarms], [age, duration], [size, throughput], [outcomes, restoreDuration], [restores, errors]],
    });
  }
}
