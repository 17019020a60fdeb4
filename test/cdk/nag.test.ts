import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { flattenReference, wildcardReason } from '../../lib/compliance';
import { RedisBackupConfig } from '../../lib/config/types';
import { exampleConfig, minimalConfig, stackOf } from './helpers';

/** Every acknowledgment recorded in the tree: rule id, reason, construct path. */
function acknowledgments(root: IConstruct): Array<{ id: string; reason: string; path: string }> {
  const out: Array<{ id: string; reason: string; path: string }> = [];
  const visit = (c: IConstruct): void => {
    for (const entry of c.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
      for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) out.push({ id: id.replace(/^annotation::/i, ''), reason, path: c.node.path });
    }
    for (const child of c.node.children) visit(child);
  };
  visit(root);
  return out;
}

const variants: Array<[string, () => RedisBackupConfig]> = [
  ['the example configuration', exampleConfig],
  ['a minimal configuration (no VPC, SSE-S3, no access logs, no tracing)', minimalConfig],
  [
    'an existing bucket and key',
    () => {
      const c = exampleConfig();
      c.bucket = { existingBucketName: 'acme-redis-backups', prefix: 'prod/', kmsKeyArn: 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab' };
      return c;
    },
  ],
  [
    'compliance-mode Object Lock, a Secrets Manager endpoint, existing security groups, a pinned environment',
    () => {
      const c = exampleConfig();
      c.env = { account: '111122223333', region: 'eu-west-1' };
      c.bucket = { objectLock: { mode: 'compliance', retentionDays: 30 }, lifecycle: { transitionAfterDays: 90, storageClass: 'GLACIER_IR' } };
      c.network!.secretsManagerEndpoint = 'create';
      c.network!.securityGroupIds = ['sg-0123456789abcdef0'];
      return c;
    },
  ],
];

describe('cdk-nag AwsSolutions checks', () => {
  test.each(variants)('%s: no finding is left unacknowledged', (_name, config) => {
    const { stack } = stackOf(config(), { id: 'Nag' });
    const report = new AwsSolutionsChecks(stack).validateScope(stack);
    const findings = report.violations.map((v) => `${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}: ${v.description}`);
    expect(findings).toEqual([]);
  });

  test('every acknowledgment has a specific written reason', () => {
    const { stack } = stackOf(exampleConfig(), { id: 'Nag' });
    const acks = acknowledgments(stack);
    const ids = acks.map((a) => a.id);
    // The kinds of findings kept on purpose, and nothing else.
    for (const id of ids) expect(id).toMatch(/^(AwsSolutions-(IAM5\[Resource::.+\]|L1|SQS3|SF2|S1)|@aws-cdk\/aws-ec2:ipv4IgnoreEgressRule)$/);
    expect(ids).toEqual(expect.arrayContaining(['AwsSolutions-L1', 'AwsSolutions-SQS3', 'AwsSolutions-IAM5[Resource::*]']));
    for (const a of acks) {
      expect(a.reason.length).toBeGreaterThan(60);
      // No catch-all reasons.
      expect(a.reason).not.toMatch(/^(suppressed|not applicable|n\/a|ok)\b/i);
    }
    // Wildcard object grants name the source whose folder they cover.
    for (const a of acks.filter((x) => /\/redis\/[^/]+\/(snapshots|restores)\/\*\]$/.test(x.id))) {
      const source = /\/redis\/([^/]+)\/(snapshots|restores)\/\*\]$/.exec(a.id)?.[1];
      expect(a.reason).toContain(`source ${source}`);
    }
  });
});

describe('wildcard reasons', () => {
  test('known patterns are explained, anything else is not', () => {
    expect(wildcardReason('*', ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'])).toMatch(/X-Ray/);
    expect(wildcardReason('*', ['xray:PutTraceSegments', 's3:GetObject'])).toBeNull();
    expect(wildcardReason('*', ['ec2:CreateNetworkInterface', 'ec2:DescribeNetworkInterfaces'])).toMatch(/VPC/);
    expect(wildcardReason('<SnapshotsBucket1234.Arn>/redis/sessions/snapshots/*', ['s3:GetObject'])).toMatch(/source sessions only/);
    expect(wildcardReason('arn:<AWS::Partition>:s3:::acme/prod/sessions/restores/*', ['s3:PutObject'])).toMatch(/of source sessions only/);
    expect(wildcardReason('<SnapshotsBucket1234.Arn>/*', ['s3:GetObject'])).toBeNull();
    expect(wildcardReason('<Fn1234.Arn>:*', ['lambda:InvokeFunction'])).toMatch(/versions and aliases of one function \(Fn1234\)/);
    expect(wildcardReason('<Fn1234.Arn>:*', ['lambda:UpdateFunctionCode'])).toBeNull();
    expect(wildcardReason('arn:aws:states:eu-west-1:111122223333:execution:<SM1234.Name>:*', ['states:DescribeExecution'])).toMatch(/one state machine \(SM1234\)/);
    expect(wildcardReason('arn:<AWS::Partition>:execute-api:<AWS::Region>:<AWS::AccountId>:<Api1234>/$default/GET/sources/*/snapshots', ['execute-api:Invoke'])).toMatch(/GET \/sources\/\*\/snapshots/);
  });

  test('references are written the way cdk-nag writes them', () => {
    expect(flattenReference({ 'Fn::Join': ['', [{ 'Fn::GetAtt': ['Bucket12', 'Arn'] }, '/a/*']] })).toBe('<Bucket12.Arn>/a/*');
    expect(flattenReference({ 'Fn::Join': [':', ['arn', { Ref: 'AWS::Partition' }, 's3']] })).toBe('arn:<AWS::Partition>:s3');
    expect(flattenReference('${AWS::Region}')).toBe('<AWS::Region>');
  });
});
