import { AofError, AofReader, loadOrder, parseManifest } from '../aof';
import { describeTail } from '../aof/read-set';
import { TruncatedTail } from '../aof/records';
import { SnapshotStore } from '../store/store';
import { AofSnapshotFile, AofSnapshotManifest } from './aof-manifest';
import { aofFileBytes, AofObjectTally } from './aof-object-stream';

export interface AofFileCheck {
  name: string;
  type: AofSnapshotFile['type'];
  storedOk: boolean;
  rawOk: boolean;
  /** Complete commands read (0 for the AOF manifest). */
  commands: number;
  /** Where redis-check-aof --fix would cut the stored copy (never done). */
  truncatedTail: TruncatedTail | null;
  /** The RDB preamble, verified by the RDB engine (CRC included). */
  rdb: { version: number; keys: number; checksum: string } | null;
}

export interface AofSnapshotVerifyReport {
  kind: 'aof';
  source: string;
  snapshotId: string;
  ok: boolean;
  /** Every problem found, in words; empty when ok. */
  problems: string[];
  /** Acceptable findings: a truncated tail in the last file (Redis drops it on load). */
  warnings: string[];
  files: AofFileCheck[];
  raw: { bytes: number };
  stored: { bytes: number };
  commands: number;
  seconds: number;
}

/** The AOF manifest is small; more than this is not one. */
const MAX_MANIFEST_BYTES = 1 << 20;

function checkLayout(m: AofSnapshotManifest, problems: string[]): void {
  const types = m.files.map((f) => f.type);
  if (m.aof.layout === 'single') {
    if (types.length !== 1 || types[0] !== 'single') problems.push(`A single-file AOF snapshot must hold one file of type single, not ${JSON.stringify(types)}`);
    return;
  }
  if (types[0] !== 'manifest' || m.files[0].name !== m.aof.manifestName) problems.push(`The first file must be the AOF manifest ${m.aof.manifestName ?? '(unnamed)'}`);
  if (types.slice(1).some((t) => t !== 'base' && t !== 'incr')) problems.push(`After the AOF manifest come base and incr files only, not ${JSON.stringify(types.slice(1))}`);
}

/**
 * Re-reads every object of an AOF snapshot and checks it against the manifest: stored
 * and raw SHA-256 and sizes, every command well-formed, the base's RDB through the RDB
 * engine (CRC included), truncated tails (reported with where they would be cut;
 * acceptable in the last file only), and that the AOF manifest names exactly the
 * stored base and incr files in order. Never changes the stored copy.
 */
export async function verifyAofSnapshot(store: SnapshotStore, manifest: AofSnapshotManifest): Promise<AofSnapshotVerifyReport> {
  const started = Date.now();
  const problems: string[] = [];
  const warnings: string[] = [];
  const files: AofFileCheck[] = [];
  checkLayout(manifest, problems);
  const dataFiles = manifest.files.filter((f) => f.type !== 'manifest');
  let rawBytes = 0;
  let storedBytes = 0;
  let commands = 0;
  for (const file of manifest.files) {
    const check = await checkFile(store, manifest, file, file === dataFiles[dataFiles.length - 1], dataFiles, problems, warnings);
    files.push(check.result);
    rawBytes += check.tally.rawBytes;
    storedBytes += check.tally.storedBytes;
    commands += check.result.commands;
  }
  const base = files.find((f) => f.rdb !== null && (f.type === 'base' || f.type === 'single'));
  if ((base?.rdb?.version ?? null) !== manifest.aof.rdbVersion) problems.push(`The base's RDB version is ${base?.rdb?.version ?? 'none'}, the manifest says ${manifest.aof.rdbVersion ?? 'none'}`);
  if ((base?.rdb?.keys ?? null) !== manifest.baseKeys) problems.push(`The base's RDB holds ${base?.rdb?.keys ?? 'no'} keys, the manifest says ${manifest.baseKeys ?? 'none'}`);
  if (rawBytes !== manifest.raw.bytes) problems.push(`The files hold ${rawBytes} raw bytes, the manifest says ${manifest.raw.bytes}`);
  if (storedBytes !== manifest.stored.bytes) problems.push(`The objects hold ${storedBytes} bytes, the manifest says ${manifest.stored.bytes}`);
  return {
    kind: 'aof',
    source: manifest.source,
    snapshotId: manifest.snapshotId,
    ok: problems.length === 0,
    problems,
    warnings,
    files,
    raw: { bytes: rawBytes },
    stored: { bytes: storedBytes },
    commands,
    seconds: (Date.now() - started) / 1000,
  };
}

async function checkFile(
  store: SnapshotStore,
  manifest: AofSnapshotManifest,
  file: AofSnapshotFile,
  last: boolean,
  dataFiles: AofSnapshotFile[],
  problems: string[],
  warnings: string[],
): Promise<{ result: AofFileCheck; tally: AofObjectTally }> {
  const tally: AofObjectTally = { storedBytes: 0, rawBytes: 0, storedSha256: null, rawSha256: null };
  const result: AofFileCheck = { name: file.name, type: file.type, storedOk: false, rawOk: false, commands: 0, truncatedTail: null, rdb: null };
  const say = (what: string): void => {
    problems.push(`${file.name}: ${what}`);
  };
  const isManifest = file.type === 'manifest';
  const text: Buffer[] = [];
  let textBytes = 0;
  const reader = isManifest ? null : new AofReader({ format: file.type === 'incr' ? 'resp' : 'auto', totalBytes: file.raw.bytes });
  let contentFailed = false;
  try {
    for await (const data of aofFileBytes(store, manifest, file, { tally })) {
      if (isManifest) {
        textBytes += data.length;
        if (textBytes <= MAX_MANIFEST_BYTES) text.push(data);
        continue;
      }
      if (contentFailed) continue;
      try {
        reader!.write(data);
      } catch (e) {
        if (!(e instanceof AofError)) throw e;
        contentFailed = true;
        say(e.message);
      }
    }
  } catch (e) {
    say(`reading the stored object failed: ${(e as Error).message}`);
    return { result, tally };
  }
  result.storedOk = tally.storedSha256 === file.stored.sha256 && tally.storedBytes === file.stored.bytes;
  result.rawOk = tally.rawSha256 === file.raw.sha256 && tally.rawBytes === file.raw.bytes;
  if (!result.storedOk) say(`stored object: ${tally.storedBytes} bytes, SHA-256 ${tally.storedSha256}; the manifest says ${file.stored.bytes} bytes, ${file.stored.sha256}`);
  if (!result.rawOk) say(`raw bytes: ${tally.rawBytes}, SHA-256 ${tally.rawSha256}; the manifest says ${file.raw.bytes} bytes, ${file.raw.sha256}`);
  if (isManifest) {
    checkManifestText(Buffer.concat(text), textBytes, file, dataFiles, say);
    return { result, tally };
  }
  if (contentFailed) return { result, tally };
  try {
    const r = reader!.end();
    result.commands = r.commands;
    result.truncatedTail = r.truncatedTail;
    if (r.rdb !== null) result.rdb = { version: r.rdb.version, keys: r.rdb.keys, checksum: r.rdb.checksum };
    if (r.commands !== file.commands) say(`${r.commands} commands read, the manifest says ${file.commands}`);
    if (r.format !== file.format) say(`read as ${r.format}, the manifest says ${file.format}`);
    const recorded = file.truncatedTail ?? null;
    if (JSON.stringify(recorded) !== JSON.stringify(r.truncatedTail)) say(`truncated tail ${JSON.stringify(r.truncatedTail)}, the manifest says ${JSON.stringify(recorded)}`);
    const tail = r.truncatedTail;
    if (tail !== null) {
      const where = `${describeTail(tail)}: the last ${tail.bytes} bytes from byte ${tail.at}`;
      if (last) warnings.push(`${file.name}: ${where}. Redis (aof-load-truncated yes) drops them on load; redis-check-aof --fix would cut the file to ${tail.at} bytes (the stored copy is left as it is)`);
      else say(`${where}, and it is not the last file: Redis refuses to load it`);
    }
  } catch (e) {
    if (!(e instanceof AofError)) throw e;
    say(e.message);
  }
  return { result, tally };
}

function checkManifestText(data: Buffer, bytes: number, file: AofSnapshotFile, dataFiles: AofSnapshotFile[], say: (what: string) => void): void {
  if (bytes > MAX_MANIFEST_BYTES) {
    say(`${bytes} bytes: too big for an AOF manifest`);
    return;
  }
  try {
    const order = loadOrder(parseManifest(data, file.name));
    const listed = order.map((e) => `${e.file} (${e.type} seq ${e.seq})`);
    const held = dataFiles.map((f) => `${f.name} (${f.type} seq ${f.seq})`);
    if (listed.length !== held.length || listed.some((n, i) => n !== held[i])) say(`lists ${JSON.stringify(listed)} where the snapshot holds ${JSON.stringify(held)}`);
  } catch (e) {
    if (!(e instanceof AofError)) throw e;
    say(e.message);
  }
}
