import { AnySnapshotManifest } from '../../lambdas/catalog/snapshot-kind';
import { GlobalOptions } from './global-options';
import { printJson } from './output';
import { progressBar } from './progress';
import { snapshotLine } from './snapshot-text';

type ProgressCallback = (p: { rawBytes: number; storedBytes: number; keys: number }) => void;

/** Runs a snapshot-taking command with a progress bar, then prints the manifest (JSON) or its line. */
export async function runSnapshotCommand(globals: GlobalOptions, totalBytes: number | undefined, take: (onProgress: ProgressCallback) => Promise<AnySnapshotManifest>): Promise<void> {
  const bar = progressBar(!globals.json, totalBytes);
  let manifest: AnySnapshotManifest;
  try {
    manifest = await take((p) => bar.update(p.rawBytes, p.keys, p.storedBytes));
  } finally {
    bar.stop();
  }
  if (globals.json) printJson(manifest);
  else process.stdout.write(`${snapshotLine(manifest)}\n`);
}
