#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import { RedisBackupStack } from '../lib/redis-backup-stack';

const app = new App();
new RedisBackupStack(app, 'RedisBackup', {
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});
