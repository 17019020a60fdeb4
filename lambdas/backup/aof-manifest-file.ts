import { createHash } from 'node:crypto';
import { AofError, loadOrder, parseManifest } from '../aof';
import { AofCapture } from '../capture/aof-types';
import { AofSnapshotFile } from '../catalog/aof-manifest';
import { ZstdFrame } from './zstd-frame';

/**
 * Checks that an AOF manifest names exactly `names` (base then incr files, in load
 * order), as Redis would load them; throws AOF_MANIFEST_INVALID otherwise.
 */
export function checkManifestNames(manifest: Buffer, manifestName: string, names: string[]): void {
  const listed = loadOrder(parseManifest(manifest, manifestName)).map((e) => e.file);
  if (listed.length === names.length && listed.every((n, i) => n === names[i])) return;
  throw new AofError(
    'AOF_MANIFEST_INVALID',
    `${manifestName} lists ${JSON.stringify(listed)} where the snapshot holds ${JSON.stringify(names)}`,
    { offset: 0, file: manifestName },
    'The manifest and the files disagree: capture the AOF directory again',
  );
}

/** The AOF manifest of a capture compressed as one zstd frame, with its manifest entry (without the object name). */
export async function compressManifestFile(capture: AofCapture, level: number): Promise<{ body: Buffer; entry: Omit<AofSnapshotFile, 'object'> }> {
  const manifest = capture.manifest;
  const name = capture.manifestName;
  if (manifest === null || name === null) throw new Error('A multi-part AOF capture without its manifest');
  checkManifestNames(manifest, name, capture.files.map((f) => f.name));
  const frame = ZstdFrame.compress(level);
  let body: Buffer;
  try {
    body = Buffer.concat([...(await frame.write(manifest)), ...(await frame.end())]);
  } finally {
    frame.destroy();
  }
  const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
  return {
    body,
    entry: {
      name,
      type: 'manifest',
      seq: null,
      format: 'text',
      raw: { bytes: manifest.length, sha256: sha(manifest) },
      stored: { bytes: body.length, sha256: sha(body) },
      commands: 0,
      timestamps: null,
    },
  };
}
