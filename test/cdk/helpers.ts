import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { resolveConfig } from '../../lib/config/defaults';
import { RedisBackupConfig, ResolvedConfig } from '../../lib/config/types';
import { validateConfig } from '../../lib/config/validate';
import { RedisBackupStack } from '../../lib/redis-backup-stack';

export const ROOT = join(__dirname, '..', '..');
export const EXAMPLE_FILE = 'config/example.json';

/** The example configuration file, parsed (a fresh copy each time: tests change it). */
export function exampleConfig(): RedisBackupConfig {
  return JSON.parse(readFileSync(join(ROOT, EXAMPLE_FILE), 'utf8')) as RedisBackupConfig;
}

/** A configuration without a VPC, EFS, KMS key or access logs: the smallest deployment. */
export function minimalConfig(): RedisBackupConfig {
  return {
    bucket: { encryption: 's3-managed', accessLogs: { enabled: false } },
    functions: { tracing: false },
    sources: [
      {
        name: 'cloud-cache',
        endpoint: { host: 'redis-12345.c1.eu-west-1-1.ec2.cloud.example.com', port: 12345, tls: true },
        credentials: { secretArn: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:cloud-cache-AbCdEf' },
        schedule: { expression: 'rate(1 hour)' },
        retention: { keepLast: 24, daily: 7 },
      },
    ],
  };
}

/** Synthesizes a stack of `config` (validated and resolved). Bundling is skipped unless asked: synth.test.ts bundles. */
export function stackOf(config: RedisBackupConfig, options: { bundle?: boolean; id?: string } = {}): { app: App; stack: RedisBackupStack; resolved: ResolvedConfig } {
  const app = new App({ context: options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] } });
  const resolved = resolveConfig(validateConfig(config, 'test config'));
  const stack = new RedisBackupStack(app, options.id ?? 'Test', { config: resolved });
  return { app, stack, resolved };
}

export function templateOf(config: RedisBackupConfig): Template {
  return Template.fromStack(stackOf(config).stack);
}

export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, unknown>;
}

export const asList = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** Every statement of every IAM policy (inline role policies and managed policies), with the policy's logical id. */
export function iamStatements(template: Template): Array<{ policy: string; roles: string[]; statement: PolicyStatement }> {
  const out: Array<{ policy: string; roles: string[]; statement: PolicyStatement }> = [];
  for (const type of ['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy']) {
    for (const [id, r] of Object.entries(template.findResources(type))) {
      const props = (r as { Properties: { PolicyDocument: { Statement: PolicyStatement[] }; Roles?: Array<{ Ref: string }> } }).Properties;
      for (const statement of props.PolicyDocument.Statement) out.push({ policy: id, roles: (props.Roles ?? []).map((x) => x.Ref), statement });
    }
  }
  return out;
}

/** The statements granted to the role of the function whose logical id starts with `functionPrefix`. */
export function functionStatements(template: Template, functionPrefix: string): PolicyStatement[] {
  const fns = Object.entries(template.findResources('AWS::Lambda::Function')).filter(([id]) => id.startsWith(functionPrefix));
  if (fns.length !== 1) throw new Error(`Expected one function ${functionPrefix}*, found ${fns.map(([id]) => id).join(', ') || 'none'}`);
  const role = ((fns[0][1] as { Properties: { Role: { 'Fn::GetAtt': [string, string] } } }).Properties.Role)['Fn::GetAtt'][0];
  return iamStatements(template)
    .filter((s) => s.roles.includes(role))
    .map((s) => s.statement);
}

/** A CloudFormation value as text, references written <LogicalId.Attr> / <Ref>. */
export function flat(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null) {
    const o = value as Record<string, unknown>;
    if (Array.isArray(o['Fn::Join'])) {
      const [d, items] = o['Fn::Join'] as [string, unknown[]];
      return items.map(flat).join(d);
    }
    if (Array.isArray(o['Fn::GetAtt'])) return `<${(o['Fn::GetAtt'] as string[]).join('.')}>`;
    if (o.Ref !== undefined) return `<${String(o.Ref)}>`;
  }
  return JSON.stringify(value);
}
