#!/usr/bin/env node
/**
 * The CDK app (cdk.json: node dist/bin/app.js). `npx cdk synth` builds config/example.json;
 * `-c config=path/to/config.json` (or `.yaml`) names another file; `-c nag=true` also runs cdk-nag.
 */
import { createApp } from '../lib/app';
import { ConfigError } from '../lib/config/validate';

try {
  createApp();
} catch (e) {
  if (!(e instanceof ConfigError)) throw e;
  process.stderr.write(`${e.message}\n`);
  process.exit(1);
}
