import { Readable } from 'node:stream';

/** One file of an AOF to restore, in load order. */
export interface AofSourceFile {
  /** Its name in the server's directory (e.g. appendonly.aof.2.incr.aof, or appendonly.aof). */
  name: string;
  type: 'manifest' | 'base' | 'incr' | 'single';
  /** Sequence number from the AOF manifest; null for the manifest and a single file. */
  seq: number | null;
  /**
   * SHA-256 (hex) the raw bytes must have (every byte is checked before a command
   * from the file is sent), or null when nothing recorded it (a local file): the
   * restore's first read then records it and the second must match.
   */
  sha256: string | null;
  /** Raw size in bytes, when known. */
  bytes: number | null;
}

/**
 * An AOF to restore, wherever it is: a local directory or file, or a stored
 * snapshot. `files` are the base and incr files (or the single file) in load
 * order; `manifest` is the multi-part AOF's manifest file (file mode writes it last).
 */
export interface AofSource {
  /** For messages: a path, or store URL and snapshot id. */
  readonly description: string;
  readonly layout: 'multi-part' | 'single';
  /** The directory name a server expects (appenddirname); null for a single file. */
  readonly dirName: string | null;
  readonly manifest: AofSourceFile | null;
  readonly files: AofSourceFile[];
  /**
   * Whether the AOF has #TS: annotations: known from a snapshot's manifest, null
   * when only reading the files can tell.
   */
  readonly hasTimestamps: boolean | null;
  /** The engine that wrote the AOF (keys of an RDB base go to another engine as ordinary commands). */
  readonly engine: 'redis' | 'valkey';
  /**
   * True when opening a file again is cheap and gives the same bytes (a local file):
   * the restore then verifies in a first read and replays in a second instead of
   * spooling to a temporary file.
   */
  readonly rereadable: boolean;
  /**
   * The raw bytes of a file. With `again` (the replay of a rereadable source): only its
   * first `again.bytes` bytes, the ones the first read verified, and refused when the
   * file is no longer the one first read (replaced by another, or shorter).
   */
  open(file: AofSourceFile, again?: { bytes: number }): Promise<Readable>;
}
