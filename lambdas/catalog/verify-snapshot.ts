import { createHash } from 'node:crypto';
import { RdbError } from '../rdb/errors';
import { RdbReader } from '../rdb/reader';
import { SummaryCollector } from '../rdb/summary';
import { dataKey } from '../store/layout';
import { SnapshotStore } from '../store/store';
import { resolveSnapshot, SnapshotSelector } from './catalog';
import { SnapshotManifest } from './manifest';
import { requireRdbManifest } from './snapshot-kind';
import { decompressChunks } from './chunk-stream';
import { RangeHasher } from './range-hasher';

export interface SnapshotVerifyReport {
  source: string;
  snapshotId: string;
  ok: boolean;
  /** Every problem found, in words; empty when ok. */
  problems: string[];
  stored: { bytes: number; sha256: string };
  raw: { bytes: number; sha256: string };
  chunks: Array<{ index: number; storedOk: boolean; rawOk: boolean }>;
  rdb: { checksum: string; keys: number };
  seconds: number;
}

/**
 * Re-reads a stored snapshot end to end and checks it against its manifest:
 * SHA-256 of the stored and raw bytes, every chunk's hashes, the full RDB
 * structure and its CRC-64, and the key count.
 */
export async function verifySnapshot(store: SnapshotStore, source: string, selector: SnapshotSelector): Promise<SnapshotVerifyReport> {
  const started = Date.now();
  const manifest: SnapshotManifest = requireRdbManifest(await resolveSnapshot(store, source, selector), 'this verification');
  const problems: string[] = [];
  const storedHash = createHash('sha256');
  const rawHash = createHash('sha256');
  const storedRanges = new RangeHasher(manifest.chunks.map((c) => c.stored));
  const rawRanges = new RangeHasher(manifest.chunks.map((c) => c.raw));
  const collector = new SummaryCollector(0);
  const reader = new RdbReader({ onRecord: collector.onRecord, transientInput: false });
  let storedBytes = 0;
  let rawBytes = 0;
  let rdbFailed = false;

  const input = await store.getStream(dataKey(source, manifest.snapshotId, manifest.stored.object));
  async function* tapStored(): AsyncGenerator<Buffer> {
    for await (const c of input) {
      const buf = c as Buffer;
      storedHash.update(buf);
      storedRanges.update(buf);
      storedBytes += buf.length;
      yield buf;
    }
  }
  try {
    for await (const { data } of decompressChunks(tapStored(), manifest.chunks)) {
      rawHash.update(data);
      rawRanges.update(data);
      rawBytes += data.length;
      if (rdbFailed) continue;
      try {
        reader.write(data);
      } catch (e) {
        if (!(e instanceof RdbError)) throw e;
        rdbFailed = true;
        problems.push(`RDB structure: ${e.message}`);
      }
    }
  } catch (e) {
    if (e instanceof RdbError) throw e;
    problems.push(`Reading the stored object failed: ${(e as Error).message}`);
    rdbFailed = true;
  } finally {
    input.destroy();
  }
  let checksum = 'unknown';
  if (!rdbFailed) {
    try {
      checksum = reader.end().checksum;
    } catch (e) {
      if (!(e instanceof RdbError)) throw e;
      problems.push(`RDB structure: ${e.message}`);
    }
  }

  const storedSha = storedHash.digest('hex');
  const rawSha = rawHash.digest('hex');
  if (storedBytes !== manifest.stored.bytes) problems.push(`Stored object has ${storedBytes} bytes, the manifest says ${manifest.stored.bytes}`);
  if (storedSha !== manifest.stored.sha256) problems.push(`Stored object SHA-256 ${storedSha} differs from the manifest's ${manifest.stored.sha256}`);
  if (rawBytes !== manifest.raw.bytes) problems.push(`Decompressed RDB has ${rawBytes} bytes, the manifest says ${manifest.raw.bytes}`);
  if (rawSha !== manifest.raw.sha256) problems.push(`Decompressed RDB SHA-256 ${rawSha} differs from the manifest's ${manifest.raw.sha256}`);
  const storedDigests = storedRanges.finish();
  const rawDigests = rawRanges.finish();
  const chunks = manifest.chunks.map((c, i) => {
    const storedOk = storedDigests[i] === c.storedSha256;
    const rawOk = rawDigests[i] === c.sha256;
    if (!storedOk) problems.push(`Chunk ${c.index}: stored bytes ${c.stored.offset}-${c.stored.offset + c.stored.length} do not match their SHA-256`);
    if (!rawOk) problems.push(`Chunk ${c.index}: raw bytes ${c.raw.offset}-${c.raw.offset + c.raw.length} do not match their SHA-256`);
    return { index: c.index, storedOk, rawOk };
  });
  const summary = collector.result();
  if (problems.length === 0 && summary.keys !== manifest.keys.total) problems.push(`The RDB holds ${summary.keys} keys, the manifest says ${manifest.keys.total}`);
  return {
    source,
    snapshotId: manifest.snapshotId,
    ok: problems.length === 0,
    problems,
    stored: { bytes: storedBytes, sha256: storedSha },
    raw: { bytes: rawBytes, sha256: rawSha },
    chunks,
    rdb: { checksum, keys: summary.keys },
    seconds: (Date.now() - started) / 1000,
  };
}
