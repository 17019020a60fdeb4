#!/usr/bin/env node
import { run } from './cli/program';

run(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`redis-backup: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
