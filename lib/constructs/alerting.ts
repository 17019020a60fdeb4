import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface AlertingProps {
  /** Prefix of alarm names (the stack name: unique per account and region). */
  alarmPrefix: string;
  emails: readonly string[];
  removalPolicy: RemovalPolicy;
}

/**
 * One SNS topic for every alarm (KMS-encrypted, TLS-only publishers), and one dead-letter queue
 * for everything asynchronous that failed for good: schedule deliveries EventBridge Scheduler
 * gave up on, and asynchronous invocations of the backup, prune and freshness functions.
 */
export class Alerting extends Construct {
  readonly topic: sns.Topic;
  readonly topicKey: kms.Key;
  readonly deadLetters: sqs.Queue;
  readonly alarms: cloudwatch.Alarm[] = [];
  private readonly prefix: string;

  constructor(scope: Construct, id: string, props: AlertingProps) {
    super(scope, id);
    this.prefix = props.alarmPrefix;
    this.topicKey = new kms.Key(this, 'TopicKey', {
      enableKeyRotation: true,
      description: 'redis-backup alarm topic encryption',
      removalPolicy: props.removalPolicy,
    });
    // CloudWatch alarms publish to the encrypted topic: they need the key, for this account only.
    this.topicKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    );
    this.topic = new sns.Topic(this, 'Topic', { displayName: `${props.alarmPrefix} alarms`, masterKey: this.topicKey, enforceSSL: true });
    for (const email of props.emails) this.topic.addSubscription(new subscriptions.EmailSubscription(email));

    this.deadLetters = new sqs.Queue(this, 'DeadLetters', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.addAlarm(
      'DeadLettersAlarm',
      this.deadLetters.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
      {
        name: 'dead-letters',
        description: 'A scheduled run could not be delivered, or an asynchronous backup, prune or freshness invocation failed for good: read the message in the dead-letter queue.',
        threshold: 1,
      },
    );
  }

  /** An alarm on `metric` >= threshold (unless `comparison` says otherwise) that notifies the topic, on alarm and on recovery. */
  addAlarm(
    id: string,
    metric: cloudwatch.IMetric,
    options: {
      name: string;
      description: string;
      threshold: number;
      comparison?: cloudwatch.ComparisonOperator;
      evaluationPeriods?: number;
      datapointsToAlarm?: number;
      treatMissingData?: cloudwatch.TreatMissingData;
    },
  ): cloudwatch.Alarm {
    const alarm = new cloudwatch.Alarm(this, id, {
      alarmName: `${this.prefix}-${options.name}`,
      alarmDescription: options.description,
      metric,
      threshold: options.threshold,
      comparisonOperator: options.comparison ?? cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: options.evaluationPeriods ?? 1,
      datapointsToAlarm: options.datapointsToAlarm ?? options.evaluationPeriods ?? 1,
      treatMissingData: options.treatMissingData ?? cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(new actions.SnsAction(this.topic));
    alarm.addOkAction(new actions.SnsAction(this.topic));
    this.alarms.push(alarm);
    return alarm;
  }
}
