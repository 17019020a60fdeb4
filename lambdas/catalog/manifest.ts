/**
 * The snapshot manifest: a public contract (docs/manifest.md, manifest.schema.json).
 * It is written last; a snapshot exists if and only if its manifest does.
 */

export const MANIFEST_FORMAT_VERSION = 1;

export interface ManifestChunk {
  index: number;
  /** Byte range of the chunk in the raw RDB stream. */
  raw: { offset: number; length: number };
  /** Byte range of the chunk's zstd frame in the stored object. */
  stored: { offset: number; length: number };
  /** Database selected where the chunk starts. */
  db: number;
  /** SHA-256 (hex) of the chunk's raw bytes. */
  sha256: string;
  /** SHA-256 (hex) of the chunk's stored (compressed) bytes. */
  storedSha256: string;
  /** Key records that start in this chunk. */
  keys: number;
}

export interface ManifestDbKeys {
  keys: number;
  expiring: number;
  /** Logical type -> keys. */
  byType: Record<string, number>;
}

export interface SnapshotManifest {
  formatVersion: number;
  kind: 'rdb';
  snapshotId: string;
  source: string;
  method: 'replication' | 'bgsave' | 'import';
  /** The captured endpoint without secrets (redis://user@host:port), or null for imports. */
  endpoint: string | null;
  /** For imports: the path of the imported file. */
  importedFrom: string | null;
  startedAt: string;
  finishedAt: string;
  timings: {
    /** From the start of the run to the first payload byte (the server forks and saves first). */
    firstByteMs: number;
    totalMs: number;
  };
  server: { engine: 'redis' | 'valkey'; version: string; role: string | null } | null;
  rdb: {
    version: number;
    /** 'ok' (trailer verified), 'none' (written with rdbchecksum no) or 'absent' (RDB < 5). */
    checksum: 'ok' | 'none' | 'absent';
    crc64: string | null;
    aux: Record<string, string>;
    replId: string | null;
    replOffset: number | null;
  };
  keys: { total: number; expiring: number; byDb: Record<string, ManifestDbKeys> };
  functions: string[];
  raw: { bytes: number; sha256: string };
  stored: {
    /** Data object name inside the snapshot's folder. */
    object: string;
    bytes: number;
    sha256: string;
    compression: { algorithm: 'zstd'; level: number };
  };
  chunks: ManifestChunk[];
  tool: { name: 'redis-backup'; version: string };
}
