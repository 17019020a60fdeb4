/**
 * cdk-nag (AwsSolutions) findings this stack keeps on purpose, each acknowledged with a specific
 * reason through CDK's Validations API (what cdk-nag v3 reads). IAM wildcard findings are not
 * acknowledged wholesale: every policy statement is inspected, and each wildcard resource is
 * matched against the few patterns this stack grants on purpose; anything else throws at synth,
 * so that a new wildcard needs a new, written reason here.
 */
import { CfnResource, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { IConstruct } from 'constructs';

/** Actions without resource-level permissions that this stack needs, by purpose. */
export const ACTIONS_WITHOUT_RESOURCE_SCOPE: Record<string, { actions: readonly string[]; why: string }> = {
  xray: {
    actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'xray:GetSamplingRules', 'xray:GetSamplingTargets'],
    why: 'AWS X-Ray tracing (functions.tracing): X-Ray actions support no resource-level permissions',
  },
  vpc: {
    actions: ['ec2:CreateNetworkInterface', 'ec2:DescribeNetworkInterfaces', 'ec2:DescribeSubnets', 'ec2:DeleteNetworkInterface', 'ec2:AssignPrivateIpAddresses', 'ec2:UnassignPrivateIpAddresses'],
    why: 'Lambda attaches the function to the VPC that reaches Redis with these ENI actions (those of the AWS managed AWSLambdaVPCAccessExecutionRole, without its logs:* on *): EC2 Describe* actions support no resource-level permissions and Lambda checks them when the function is created',
  },
  logDelivery: {
    actions: [
      'logs:CreateLogDelivery',
      'logs:GetLogDelivery',
      'logs:UpdateLogDelivery',
      'logs:DeleteLogDelivery',
      'logs:ListLogDeliveries',
      'logs:PutResourcePolicy',
      'logs:DescribeResourcePolicies',
      'logs:DescribeLogGroups',
    ],
    why: 'Step Functions execution logging (level ALL, AwsSolutions-SF1) goes through CloudWatch Logs vended log delivery, whose actions require Resource "*"',
  },
};

/** The way cdk-nag names a resource in a finding id (cdk-nag's flattenCfnReference). */
export function flattenReference(node: unknown): string {
  if (node === undefined) return '';
  if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/\}/g, '>');
  if (typeof node === 'object' && node !== null) {
    const o = node as Record<string, unknown>;
    if (Array.isArray(o['Fn::Join'])) {
      const [delimiter, items] = o['Fn::Join'] as [string, unknown[]];
      return items.map(flattenReference).join(delimiter);
    }
    if (o['Fn::Sub'] !== undefined) return flattenReference(o['Fn::Sub']);
    if (Array.isArray(o['Fn::GetAtt'])) {
      const [resource, attribute] = o['Fn::GetAtt'] as [unknown, unknown];
      return `<${flattenReference(resource)}.${flattenReference(attribute)}>`;
    }
    if (o['Fn::ImportValue'] !== undefined) return flattenReference(o['Fn::ImportValue']);
    if (o.Ref !== undefined) return `<${flattenReference(o.Ref)}>`;
  }
  return JSON.stringify(node);
}

interface Statement {
  Effect: string;
  Action?: string | string[];
  Resource?: unknown;
}

const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** One ARN field as cdk-nag writes it: a literal (us-east-1) or a reference (<AWS::Region>). */
const SEGMENT = '(?:<[^>]+>|[^:<>]+)';

/** Why a wildcard resource in a statement is as narrow as it can be; null when it is not one of the stack's patterns. */
export function wildcardReason(resource: string, actions: readonly string[]): string | null {
  if (resource === '*') {
    const groups = Object.values(ACTIONS_WITHOUT_RESOURCE_SCOPE).filter((g) => actions.some((a) => g.actions.includes(a)));
    const covered = actions.every((a) => groups.some((g) => g.actions.includes(a)));
    return covered && groups.length > 0 ? `Resource "*" only for ${actions.join(', ')}: ${groups.map((g) => g.why).join('; ')}.` : null;
  }
  let m = /^<[^>]+\.Arn>\/(.*?)([^/]+)\/(snapshots|restores)\/\*$/.exec(resource) ?? new RegExp(`^arn:${SEGMENT}:s3:::[^/]+/(.*?)([^/]+)/(snapshots|restores)/\\*$`).exec(resource);
  if (m) {
    const [, prefix, source, folder] = m;
    return folder === 'snapshots'
      ? `Objects of source ${source} only (${prefix}${source}/snapshots/<snapshot id>/data.rdb.zst and manifest.json): snapshot ids are made at run time, so the grant ends at this source's snapshots folder (actions: ${actions.join(', ')}).`
      : `Restore records, checkpoints and reports of source ${source} only (${prefix}${source}/restores/<restore id>/...): restore ids are made at run time (actions: ${actions.join(', ')}).`;
  }
  m = /^<([^>]+)\.Arn>:\*$/.exec(resource);
  if (m && actions.every((a) => a === 'lambda:InvokeFunction')) {
    return `The versions and aliases of one function (${m[1]}), which the CDK Step Functions / EventBridge Scheduler integration grants next to the function itself; nothing else can be invoked.`;
  }
  m = new RegExp(`^arn:${SEGMENT}:states:${SEGMENT}:${SEGMENT}:execution:<([^>]+)\\.Name>:\\*$`).exec(resource);
  if (m && actions.every((a) => a === 'states:DescribeExecution')) {
    return `Executions of one state machine (${m[1]}) only: their names are restore or request ids made at run time.`;
  }
  m = new RegExp(`^arn:${SEGMENT}:execute-api:${SEGMENT}:${SEGMENT}:<([^>]+)>/\\$default/(GET|POST)/(.*)$`).exec(resource);
  if (m && actions.every((a) => a === 'execute-api:Invoke')) {
    return `One route of this HTTP API (${m[1]}): ${m[2]} /${m[3]}, where each "*" stands for a path parameter ({source} or {id}).`;
  }
  return null;
}

function acknowledgeWildcards(policy: CfnResource, document: unknown): void {
  const statements = list((document as { Statement?: Statement | Statement[] }).Statement);
  const acknowledged = new Map<string, string>();
  for (const s of statements) {
    if (s.Effect !== 'Allow') continue;
    const actions = list(s.Action);
    for (const action of actions) {
      if (action.includes('*')) throw new Error(`${policy.node.path}: the action ${action} is a wildcard; name the actions (no acknowledgment exists for it)`);
    }
    for (const raw of list(s.Resource)) {
      const resource = flattenReference(raw);
      if (!resource.includes('*')) continue;
      const reason = wildcardReason(resource, actions);
      if (reason === null) throw new Error(`${policy.node.path}: the resource ${resource} (for ${actions.join(', ')}) is a wildcard this stack has no written reason for (lib/compliance.ts)`);
      const id = `AwsSolutions-IAM5[Resource::${resource}]`;
      acknowledged.set(id, acknowledged.has(id) ? `${acknowledged.get(id)} ${reason}` : reason);
    }
  }
  for (const [id, reason] of acknowledged) Validations.of(policy).acknowledge({ id, reason });
}

/** Acknowledges, with their reasons, the cdk-nag findings this stack keeps. Call once the stack is complete. */
export function acknowledgeNagFindings(stack: Stack, options: { deadLetterQueues: sqs.IQueue[]; accessLogsOff: IConstruct | null; tracingOff: boolean }): void {
  const visit = (c: IConstruct): void => {
    if (c instanceof iam.CfnPolicy || c instanceof iam.CfnManagedPolicy) acknowledgeWildcards(c, stack.resolve(c.policyDocument));
    if (options.tracingOff && c instanceof sfn.CfnStateMachine) {
      Validations.of(c).acknowledge({
        id: 'AwsSolutions-SF2',
        reason: 'X-Ray tracing is turned off in the configuration (functions.tracing: false), for the functions and the state machines alike; execution history and logs (level ALL) remain.',
      });
    }
    if (c instanceof lambda.CfnFunction && stack.resolve(c.runtime) === lambda.Runtime.NODEJS_22_X.name) {
      Validations.of(c).acknowledge({
        id: 'AwsSolutions-L1',
        reason: 'nodejs22.x is the runtime the backup engine is built and tested on (Node 22: zlib zstd, worker threads, WebAssembly CRC-64); move to a newer runtime after the test suite passes on it.',
      });
    }
    for (const child of c.node.children) visit(child);
  };
  visit(stack);
  for (const q of options.deadLetterQueues) {
    Validations.of(q).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is the dead-letter queue (EventBridge Scheduler deliveries and Lambda asynchronous on-failure destinations): a dead-letter queue of a dead-letter queue would add nothing; an alarm fires on its first message.',
    });
  }
  if (options.accessLogsOff !== null) {
    Validations.of(options.accessLogsOff).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'Server access logging of the snapshot bucket is turned off in the configuration (bucket.accessLogs.enabled: false); CloudTrail data events are the alternative.',
    });
  }
}
