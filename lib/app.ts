import { App, AppProps, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { CONFIG_CONTEXT_KEY, DEFAULT_CONFIG_FILE, loadConfig } from './config/load';
import { RedisBackupStack } from './redis-backup-stack';

/** The CDK context value that also runs the cdk-nag AwsSolutions checks at synth (`-c nag=true`). */
export const NAG_CONTEXT_KEY = 'nag';

/**
 * The CDK app of bin/app.ts: the stack of the configuration file named by the context value
 * `config` (default config/example.json). Throws ConfigError naming every problem of the file.
 */
export function createApp(props: AppProps = {}): { app: App; stack: RedisBackupStack; file: string } {
  const app = new App(props);
  const file = String(app.node.tryGetContext(CONFIG_CONTEXT_KEY) ?? DEFAULT_CONFIG_FILE);
  const config = loadConfig(file);
  const stack = new RedisBackupStack(app, config.stackName, {
    config,
    description: `redis-backup: scheduled Redis/Valkey backups to S3, restores and API (config ${file})`,
    env: { account: config.env.account ?? process.env.CDK_DEFAULT_ACCOUNT, region: config.env.region ?? process.env.CDK_DEFAULT_REGION },
  });
  const nag: unknown = app.node.tryGetContext(NAG_CONTEXT_KEY);
  if (nag === true || nag === 'true') Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return { app, stack, file };
}
