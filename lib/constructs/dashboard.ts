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

/** Backup duration, size, throughput and snapshot age per source; restore duration and outcomes; errors; alarms. */
export class BackupDashboard extends Construct {
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: BackupDashboardProps) {
    super(scope, id);
    const { config } = props;
    const perSource = (name: string, statistic: string): cloudwatch.IMetric[] => config.sources.map((s) => sourceMetric(config, name, s.name, statistic));
    const hours = (seconds: number): number => seconds / 3600;

    const age = new cloudwatch.GraphWidget({
      title: 'Age of the newest committed snapshot (hours)',
      width: 12,
      // Metric ids must be unique within a graph: age0, age1, ...
      left: config.sources.map(
        (s, i) => new cloudwatch.MathExpression({ expression: `age${i} / 3600`, usingMetrics: { [`age${i}`]: snapshotAgeMetric(config, s.name) }, label: s.name, period: Duration.minutes(15) }),
      ),
      leftAnnotations: config.sources.map((s) => ({ value: hours(s.maxAgeSeconds), label: `${s.name} alarm`, color: cloudwatch.Color.RED })),
      leftYAxis: { min: 0, label: 'hours', showUnits: false },
    });
    const duration = new cloudwatch.GraphWidget({
      title: 'Backup duration (seconds)',
      width: 12,
      left: perSource(METRIC.backupDuration, 'Maximum'),
      leftYAxis: { min: 0, label: 'seconds', showUnits: false },
    });
    const size = new cloudwatch.GraphWidget({
      title: 'Backup size: raw RDB (left) and stored after compression (right)',
      width: 12,
      left: perSource(METRIC.backupRawBytes, 'Maximum'),
      right: perSource(METRIC.backupStoredBytes, 'Maximum'),
      leftYAxis: { min: 0 },
      rightYAxis: { min: 0 },
    });
    const throughput = new cloudwatch.GraphWidget({
      title: 'Backup throughput (raw bytes per second)',
      width: 12,
      left: perSource(METRIC.backupThroughput, 'Average'),
      leftYAxis: { min: 0 },
    });
    const outcomes = new cloudwatch.GraphWidget({
      title: 'Backups: succeeded and failed',
      width: 12,
      left: perSource(METRIC.backupSucceeded, 'Sum'),
      right: perSource(METRIC.backupFailed, 'Sum'),
      leftYAxis: { min: 0 },
      rightYAxis: { min: 0 },
    });
    const restoreDuration = new cloudwatch.GraphWidget({
      title: 'Restore duration (minutes, state machine execution time)',
      width: 12,
      left: [
        new cloudwatch.MathExpression({
          expression: 'ms / 60000',
          usingMetrics: { ms: props.restoreStateMachine.metricTime({ statistic: 'Maximum', period: Duration.hours(1) }) },
          label: 'longest restore',
          period: Duration.hours(1),
        }),
      ],
      leftYAxis: { min: 0, label: 'minutes', showUnits: false },
    });
    const restores = new cloudwatch.GraphWidget({
      title: 'Restores: started, succeeded, failed',
      width: 12,
      left: [
        props.restoreStateMachine.metricStarted({ statistic: 'Sum', period: Duration.hours(1), label: 'started' }),
        props.restoreStateMachine.metricSucceeded({ statistic: 'Sum', period: Duration.hours(1), label: 'succeeded' }),
        props.restoreStateMachine.metricFailed({ statistic: 'Sum', period: Duration.hours(1), label: 'failed' }),
      ],
      leftYAxis: { min: 0 },
    });
    const errors = new cloudwatch.GraphWidget({
      title: 'Function errors and dead letters',
      width: 12,
      left: props.functions.map((f) => f.fn.metricErrors({ statistic: 'Sum', period: Duration.minutes(15), label: f.label })),
      right: [props.deadLetters.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', period: Duration.minutes(15), label: 'dead letters' })],
      leftYAxis: { min: 0 },
      rightYAxis: { min: 0 },
    });
    const alarms = new cloudwatch.AlarmStatusWidget({ title: 'Alarms', width: 24, alarms: props.alarms });

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: `${config.stackName}-${config.serviceName}`,
      defaultInterval: Duration.days(7),
      widgets: [[alarms], [age, duration], [size, throughput], [outcomes, restoreDuration], [restores, errors]],
    });
  }
}
