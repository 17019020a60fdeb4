import { existsSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../lib/app';
import { DEFAULT_CONFIG_FILE } from '../../lib/config/load';
import { handlerEntry, HandlerName } from '../../lib/constructs/service-function';
import { ROOT } from './helpers';

/**
 * What `npx cdk synth` does with no arguments (cdk.json runs bin/app.ts, which is createApp()):
 * the example configuration, every function bundled locally with esbuild, and the cdk-nag
 * AwsSolutions checks as a synth-time validation (-c nag=true) that must pass.
 */
describe('synth of the example configuration', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'redis-backup-synth-'));
  const cwd = process.cwd();

  beforeAll(() => process.chdir(ROOT));
  afterAll(() => process.chdir(cwd));

  test('the handlers the stack deploys exist', () => {
    for (const name of ['backup', 'prune', 'freshness', 'api', 'restore-step'] as HandlerName[]) expect(existsSync(handlerEntry(name))).toBe(true);
  });

  test('synthesizes offline with bundled functions and passes the cdk-nag checks', () => {
    const { app, stack, file } = createApp({ outdir, context: { nag: 'true' } });
    expect(file).toBe(DEFAULT_CONFIG_FILE);
    const assembly = app.synth();
    const artifact = assembly.getStackByName(stack.stackName);
    expect(artifact.template.Resources).toBeDefined();
    const bundles = readdirSync(outdir).filter((d) => d.startsWith('asset.') && statSync(join(outdir, d)).isDirectory());
    // One bundle per function (five), each a minified index.js with its source map.
    expect(bundles).toHaveLength(5);
    for (const b of bundles) {
      expect(readdirSync(join(outdir, b)).sort()).toEqual(['index.js', 'index.js.map']);
      // The AWS SDK is bundled (functions.awsSdk: "bundled"), not left to the runtime.
      const size = statSync(join(outdir, b, 'index.js')).size;
      expect(size).toBeGreaterThan(200_000);
      expect(size).toBeLessThan(10_000_000);
    }
  }, 240_000);
});
