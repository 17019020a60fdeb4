import { AofCapture } from '../capture/aof-types';
import { AofSnapshotFile, AofSnapshotManifest } from '../catalog/aof-manifest';
import { MANIFEST_FORMAT_VERSION } from '../catalog/manifest';
import { TOOL_VERSION } from '../version';
import { AofRdbInfo } from './aof-file-writer';

export interface AofManifestInput {
  snapshotId: string;
  source: string;
  endpoint: string | null;
  startedAt: Date;
  finishedAt: Date;
  firstByteAt: number | null;
  capture: AofCapture;
  /** The stored files: the AOF manifest (multi-part), then base and incr files, or the single file. */
  files: AofSnapshotFile[];
  /** The RDB preamble of the base (or single) file, if there is one. */
  rdb: AofRdbInfo | null;
  compressionLevel: number;
}

function span(files: AofSnapshotFile[]): AofSnapshotManifest['aof']['timestamps'] {
  const stamped = files.flatMap((f) => (f.timestamps ? [f.timestamps] : []));
  if (stamped.length === 0) return null;
  return { first: Math.min(...stamped.map((t) => t.first)), last: Math.max(...stamped.map((t) => t.last)) };
}

/** Assembles an AOF snapshot's manifest (validated against the schema before it is written). */
export function buildAofManifest(input: AofManifestInput): AofSnapshotManifest {
  const { capture, files } = input;
  // The server as it answered INFO, else the one that wrote the base's RDB preamble.
  const info = capture.info.server;
  const writer = input.rdb?.writer ?? null;
  const server: AofSnapshotManifest['server'] = info ? { engine: info.engine, version: info.version, role: info.role ?? null } : writer ? { ...writer, role: null } : null;
  const startMs = input.startedAt.getTime();
  return {
    formatVersion: MANIFEST_FORMAT_VERSION,
    kind: 'aof',
    snapshotId: input.snapshotId,
    source: input.source,
    method: capture.info.method,
    endpoint: input.endpoint,
    importedFrom: capture.info.method === 'import' ? (capture.info.path ?? null) : null,
    startedAt: input.startedAt.toISOString(),
    finishedAt: input.finishedAt.toISOString(),
    timings: {
      firstByteMs: input.firstByteAt !== null ? Math.max(0, input.firstByteAt - startMs) : 0,
      totalMs: Math.max(0, input.finishedAt.getTime() - startMs),
    },
    server,
    aof: {
      layout: capture.layout,
      dirName: capture.dirName,
      manifestName: capture.manifestName,
      rdbVersion: input.rdb?.version ?? null,
      timestamps: span(files),
    },
    baseKeys: input.rdb?.keys ?? null,
    files,
    raw: { bytes: files.reduce((n, f) => n + f.raw.bytes, 0) },
    stored: { bytes: files.reduce((n, f) => n + f.stored.bytes, 0), compression: { algorithm: 'zstd', level: input.compressionLevel } },
    tool: { name: 'redis-backup', version: TOOL_VERSION },
  };
}
