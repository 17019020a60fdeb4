import { createHash } from 'node:crypto';
import { ZstdFrame } from '../backup/zstd-frame';
import { dataKey } from '../store/layout';
import { SnapshotStore } from '../store/store';
import { AofSnapshotFile, AofSnapshotManifest } from './aof-manifest';
import { CatalogError } from './errors';

/** Running SHA-256 and byte counts of one AOF object as it is read. */
export interface AofObjectTally {
  storedBytes: number;
  rawBytes: number;
  storedSha256: string | null;
  rawSha256: string | null;
}

/**
 * The raw bytes of one stored AOF file: its object streamed from the store and
 * decompressed (one zstd frame). `tally` receives the byte counts and, once the
 * iteration ends, both SHA-256s; `checked` makes the iteration throw
 * CATALOG_VERIFY_FAILED at the end when they differ from the manifest's (so a reader
 * can refuse to use a damaged file before acting on its last bytes).
 */
export async function* aofFileBytes(
  store: SnapshotStore,
  manifest: AofSnapshotManifest,
  file: AofSnapshotFile,
  options: { tally?: AofObjectTally; checked?: boolean } = {},
): AsyncGenerator<Buffer> {
  const tally = options.tally ?? { storedBytes: 0, rawBytes: 0, storedSha256: null, rawSha256: null };
  const storedHash = createHash('sha256');
  const rawHash = createHash('sha256');
  const input = await store.getStream(dataKey(manifest.source, manifest.snapshotId, file.object));
  const frame = ZstdFrame.decompress();
  const raw = (data: Buffer): Buffer => {
    rawHash.update(data);
    tally.rawBytes += data.length;
    return data;
  };
  try {
    for await (const c of input) {
      const buf = c as Buffer;
      storedHash.update(buf);
      tally.storedBytes += buf.length;
      for (const data of await frame.write(buf)) yield raw(data);
    }
    for (const data of await frame.end()) yield raw(data);
  } finally {
    frame.destroy();
    input.destroy();
  }
  tally.storedSha256 = storedHash.digest('hex');
  tally.rawSha256 = rawHash.digest('hex');
  if (options.checked && (tally.storedSha256 !== file.stored.sha256 || tally.rawSha256 !== file.raw.sha256 || tally.rawBytes !== file.raw.bytes)) {
    throw new CatalogError(
      'CATALOG_VERIFY_FAILED',
      `${file.object} of snapshot ${manifest.snapshotId} does not match its manifest entry (stored or raw SHA-256 or size differ): the stored copy is damaged; use another snapshot`,
      { source: manifest.source, snapshotId: manifest.snapshotId, where: file.object },
    );
  }
}
