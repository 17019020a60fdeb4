/**
 * The manifest of an AOF snapshot (kind "aof"): a public contract beside the RDB
 * snapshot's (docs/manifest.md). Same folder, same commit rule: the snapshot exists
 * if and only if its manifest.json exists, written last.
 *
 *   <source>/snapshots/<snapshotId>/aof/<file>.zst   each AOF file, one zstd stream
 *   <source>/snapshots/<snapshotId>/manifest.json    written last
 *
 * For a multi-part AOF the files are the AOF manifest (type "manifest", exactly the
 * bytes the server wrote, or the rewritten one naming only the captured files), the
 * base, then the incr files in load order. For an old single-file AOF there is one
 * file of type "single".
 */

export interface AofSnapshotFile {
  /** The file's name in the server's directory (e.g. appendonly.aof.3.incr.aof). */
  name: string;
  type: 'manifest' | 'base' | 'incr' | 'single';
  /** Sequence number from the AOF manifest; null for the manifest itself and a single file. */
  seq: number | null;
  /** Object name inside the snapshot's folder (e.g. aof/appendonly.aof.3.incr.aof.zst). */
  object: string;
  /** 'rdb': an RDB preamble base (or single file with a preamble; commands may follow); 'resp': commands only; 'text': the AOF manifest. */
  format: 'rdb' | 'resp' | 'text';
  raw: { bytes: number; sha256: string };
  stored: { bytes: number; sha256: string };
  /** Commands read from the file (after the RDB preamble, if there is one); 0 for the manifest. */
  commands: number;
  /** First and last #TS: annotation (Unix seconds) in the file, or null when there is none. */
  timestamps: { first: number; last: number } | null;
  /**
   * Where redis-check-aof --fix would cut the stored copy (the last file may end inside a
   * command or an open MULTI, which Redis drops on load); absent or null when it ends on a
   * command boundary. Additive: manifests written before it existed lack it.
   */
  truncatedTail?: { at: number; bytes: number; reason: 'incomplete-command' | 'open-multi' } | null;
}

export interface AofSnapshotManifest {
  formatVersion: number;
  kind: 'aof';
  snapshotId: string;
  source: string;
  method: 'bgsave' | 'import';
  endpoint: string | null;
  importedFrom: string | null;
  startedAt: string;
  finishedAt: string;
  timings: { firstByteMs: number; totalMs: number };
  server: { engine: 'redis' | 'valkey'; version: string; role: string | null } | null;
  aof: {
    layout: 'multi-part' | 'single';
    /** The directory name to recreate on restore (appenddirname, e.g. appendonlydir); null for a single file. */
    dirName: string | null;
    /** The AOF manifest's file name (e.g. appendonly.aof.manifest); null for a single file. */
    manifestName: string | null;
    /** RDB version of the preamble (base file or single file), or null when the base is commands. */
    rdbVersion: number | null;
    /** Earliest and latest #TS: annotation across the files, or null. */
    timestamps: { first: number; last: number } | null;
  };
  /** Keys in the base's RDB preamble (incr commands are not counted), or null when there is none. */
  baseKeys: number | null;
  files: AofSnapshotFile[];
  /** Totals over every file. */
  raw: { bytes: number };
  stored: { bytes: number; compression: { algorithm: 'zstd'; level: number } };
  tool: { name: 'redis-backup'; version: string };
}

export const AOF_OBJECT_PREFIX = 'aof/';

/** The object name inside a snapshot folder for an AOF file. */
export function aofObjectName(fileName: string): string {
  return `${AOF_OBJECT_PREFIX}${fileName}.zst`;
}
