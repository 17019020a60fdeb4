import { CaptureInfo } from '../capture/types';
import { ManifestDbKeys, MANIFEST_FORMAT_VERSION, SnapshotManifest } from '../catalog/manifest';
import { RDB_DATA_NAME } from '../store/layout';
import { TOOL_VERSION } from '../version';
import { PipelineResult } from './pipeline';

export interface ManifestInput {
  snapshotId: string;
  source: string;
  endpoint: string | null;
  startedAt: Date;
  finishedAt: Date;
  capture: CaptureInfo;
  pipeline: PipelineResult;
  compressionLevel: number;
}

function serverOf(capture: CaptureInfo, aux: Record<string, string>): SnapshotManifest['server'] {
  if (capture.server) return { engine: capture.server.engine, version: capture.server.version, role: capture.server.role ?? null };
  if (aux['valkey-ver']) return { engine: 'valkey', version: aux['valkey-ver'], role: null };
  if (aux['redis-ver']) return { engine: 'redis', version: aux['redis-ver'], role: null };
  return null;
}

function intOrNull(text: string | undefined): number | null {
  return text !== undefined && /^\d+$/.test(text) ? Number(text) : null;
}

/** Assembles the manifest of a finished capture (validated against the schema before it is written). */
export function buildManifest(input: ManifestInput): SnapshotManifest {
  const { pipeline, capture } = input;
  const { summary, eof } = pipeline;
  // Cached Lua scripts (Redis 4.0-6.2 'lua' aux fields) can be large and are not facts about the snapshot.
  const aux = Object.fromEntries(Object.entries(summary.aux).filter(([k]) => k !== 'lua'));
  const byDb: Record<string, ManifestDbKeys> = {};
  for (const db of summary.dbs) byDb[String(db.db)] = { keys: db.keys, expiring: db.expiring, byType: db.byType };
  const checksum = eof.checksum === 'none' || eof.checksum === 'absent' ? eof.checksum : 'ok';
  const firstByteMs = pipeline.firstByteAt === null ? 0 : Math.max(0, pipeline.firstByteAt - input.startedAt.getTime());
  return {
    formatVersion: MANIFEST_FORMAT_VERSION,
    kind: 'rdb',
    snapshotId: input.snapshotId,
    source: input.source,
    method: capture.method,
    endpoint: input.endpoint,
    importedFrom: capture.method === 'import' ? (capture.path ?? null) : null,
    startedAt: input.startedAt.toISOString(),
    finishedAt: input.finishedAt.toISOString(),
    timings: { firstByteMs, totalMs: Math.max(0, input.finishedAt.getTime() - input.startedAt.getTime()) },
    server: serverOf(capture, summary.aux),
    rdb: {
      version: summary.rdbVersion,
      checksum,
      crc64: eof.storedCrc,
      aux,
      replId: summary.aux['repl-id'] ?? capture.replId ?? null,
      replOffset: intOrNull(summary.aux['repl-offset']) ?? capture.replOffset ?? null,
    },
    keys: { total: summary.keys, expiring: summary.expiring, byDb },
    functions: summary.functions.map((f) => f.name),
    raw: pipeline.raw,
    stored: { object: RDB_DATA_NAME, bytes: pipeline.stored.bytes, sha256: pipeline.stored.sha256, compression: { algorithm: 'zstd', level: input.compressionLevel } },
    chunks: pipeline.chunks,
    tool: { name: 'redis-backup', version: TOOL_VERSION },
  };
}
