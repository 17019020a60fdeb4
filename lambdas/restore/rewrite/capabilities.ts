import { RestoreError } from '../errors';
import { TargetCapabilities } from '../types';

/**
 * What a restore target can take, from its INFO server text: which engine and
 * version, the highest DUMP footer (RDB version) its RESTORE accepts, and the
 * command features the rewrite needs.
 */

type Version = [number, number, number];

function infoFields(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0 && !line.startsWith('#')) out.set(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
  }
  return out;
}

function parseVersion(text: string): Version | null {
  const m = /^(\d+)\.(\d+)(?:\.(\d+))?/.exec(text);
  return m === null ? null : [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
}

function versionAtLeast(v: Version, major: number, minor: number): boolean {
  return v[0] > major || (v[0] === major && v[1] >= minor);
}

/**
 * Highest RDB version a server's RESTORE accepts. Redis: 2.6–3.0 → 6, 3.2 → 7, 4.0 → 8,
 * 5.0–6.2 → 9, 7.0 → 10, 7.2 → 11, 7.4–8.4 → 12, 8.6 → 13, 8.8 and later → 14; before
 * 2.6 there is no RESTORE at all (0). Valkey (by its own version): 7.2–8.x → 11, 9.x → 80.
 */
export function rdbVersionFor(engine: 'redis' | 'valkey', version: Version): number {
  if (engine === 'valkey') return versionAtLeast(version, 9, 0) ? 80 : 11;
  const table: Array<[number, number, number]> = [
    [8, 8, 14],
    [8, 6, 13],
    [7, 4, 12],
    [7, 2, 11],
    [7, 0, 10],
    [5, 0, 9],
    [4, 0, 8],
    [3, 2, 7],
    [2, 6, 6],
  ];
  for (const [major, minor, rdb] of table) if (versionAtLeast(version, major, minor)) return rdb;
  return 0;
}

/** Reads INFO server (the reply text of `INFO server` or plain `INFO`). */
export function capabilitiesFromInfo(infoServerText: string): TargetCapabilities {
  const fields = infoFields(infoServerText);
  const redisVersion = fields.get('redis_version');
  const valkeyVersion = fields.get('valkey_version');
  const engine = fields.get('server_name') === 'valkey' || valkeyVersion !== undefined ? 'valkey' : 'redis';
  const versionText = engine === 'valkey' ? (valkeyVersion ?? redisVersion) : redisVersion;
  const version = versionText === undefined ? null : parseVersion(versionText);
  if (version === null) {
    throw new RestoreError('RESTORE_TARGET_REFUSED', `The target's INFO server reply has no usable version (redis_version: ${redisVersion ?? 'missing'})`);
  }
  // Every Valkey release (7.2 on) has what Redis 7.2 has; hash field expiry came with Valkey 9.0.
  const valkey = engine === 'valkey';
  return {
    engine,
    version,
    rdbVersion: rdbVersionFor(engine, version),
    hashFieldExpiry: valkey ? versionAtLeast(version, 9, 0) : versionAtLeast(version, 7, 4),
    streamMetadata: valkey || versionAtLeast(version, 7, 0),
    createConsumer: valkey || versionAtLeast(version, 6, 2),
    functions: valkey || versionAtLeast(version, 7, 0),
  };
}

/**
 * Whether the target has a command form introduced in Redis `major.minor`. Valkey
 * forked from Redis 7.2 and numbers its releases from 7.2 on, so comparing its own
 * version answers the same for every Redis feature up to 7.2 (later Redis features
 * have flags of their own in TargetCapabilities).
 */
export function targetAtLeast(caps: TargetCapabilities, major: number, minor: number): boolean {
  return versionAtLeast(caps.version, major, minor);
}

/** "redis 7.0.15", "valkey 8.0.1". */
export function describeTarget(caps: TargetCapabilities): string {
  return `${caps.engine} ${caps.version.join('.')}`;
}

/** RDB versions some released server has as its own, ascending. */
const KNOWN_RDB_VERSIONS = [6, 7, 8, 9, 10, 11, 12, 13, 14, 80];

/**
 * Learns from a RESTORE refusal. RESTORE answers "DUMP payload version or checksum are
 * wrong" when the footer is newer than the server (the payloads are built here, so the
 * checksum is right): the server's version is then below `footerVersion`, and the
 * answer is the next lower RDB version to try, or null when the message is another
 * error or there is nothing lower to try.
 */
export function rdbVersionFromRestoreError(message: string, footerVersion: number): number | null {
  if (!/payload version or checksum are wrong/i.test(message)) return null;
  // Valkey 9 (80) refuses the foreign range 12-79 but takes 11.
  const lower = KNOWN_RDB_VERSIONS.filter((v) => v < footerVersion && !(footerVersion >= 80 && v >= 12 && v < 80));
  return lower.length === 0 ? null : lower[lower.length - 1];
}

/**
 * The DUMP footer to RESTORE an entry with (the file's own RDB version, lowered to what
 * the target accepts), or null when the target cannot RESTORE it and the key must be
 * rewritten as commands: its type is newer than the target, or it crosses between Redis
 * 7.4+ and Valkey 9+ types (Valkey 9 refuses RDB versions 12-79, and type ids >= 22
 * mean different things to the two).
 */
export function restoreFooter(caps: TargetCapabilities, entry: { minRdbVersion: number; rdbVersion: number }): number | null {
  let accepted = Math.min(entry.rdbVersion, caps.rdbVersion);
  // Valkey 9+ refuses Redis's 12-79; Redis knows nothing of Valkey's 80+. Both take 11 for types up to 21.
  if ((caps.rdbVersion >= 80) !== (entry.rdbVersion >= 80)) accepted = Math.min(accepted, 11);
  return entry.minRdbVersion <= accepted ? accepted : null;
}
