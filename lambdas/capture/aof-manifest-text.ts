import { AofManifest } from '../aof';

/**
 * The manifest bytes to store for a set of files: the server's own bytes, minus the
 * lines of history entries (files Redis no longer loads and that are not captured),
 * so the stored manifest names exactly the captured base and incr files.
 */
export function withoutHistory(data: Buffer, manifest: AofManifest): Buffer {
  if (manifest.history.length === 0) return data;
  const drop = new Set(manifest.history.map((e) => e.line));
  const kept: Buffer[] = [];
  let pos = 0;
  let line = 0;
  while (pos < data.length) {
    const nl = data.indexOf(0x0a, pos);
    const end = nl === -1 ? data.length : nl + 1;
    line++;
    if (!drop.has(line)) kept.push(data.subarray(pos, end));
    pos = end;
  }
  return Buffer.concat(kept);
}
