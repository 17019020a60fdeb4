import { StoreError } from './errors';

/**
 * Key rules shared by every store, so one layout works in a directory and in S3:
 * '/'-separated segments, none empty, '.' or '..'; not absolute; no NUL or backslash;
 * at most 1024 UTF-8 bytes (the S3 limit); no segment containing PARTIAL_MARKER, which
 * names local temporary files.
 */

/** Marks a local temporary file: `<key>.partial-<random>`. */
export const PARTIAL_MARKER = '.partial-';

const MAX_KEY_BYTES = 1024;

function segmentsProblem(segments: string[]): string | undefined {
  for (const segment of segments) {
    if (segment === '') return 'it has an empty path segment (a leading, doubled or trailing "/")';
    if (segment === '.' || segment === '..') return `it has a "${segment}" segment`;
    if (segment.includes(PARTIAL_MARKER)) return `"${PARTIAL_MARKER}" is reserved for temporary files`;
  }
  return undefined;
}

function charsProblem(text: string): string | undefined {
  if (text.includes('\0')) return 'it contains a NUL character';
  if (text.includes('\\')) return 'it contains a backslash (use "/" between segments)';
  if (Buffer.byteLength(text) > MAX_KEY_BYTES) return `it is longer than ${MAX_KEY_BYTES} bytes`;
  return undefined;
}

/** Why `key` is not a valid object key, or undefined if it is. */
export function keyProblem(key: string): string | undefined {
  if (key === '') return 'it is empty';
  return charsProblem(key) ?? segmentsProblem(key.split('/'));
}

/**
 * Why `prefix` is not a valid listing prefix, or undefined if it is. A prefix is '' or a key
 * prefix: its last segment may be partial ('src/snap') or empty ('src/snapshots/').
 */
export function prefixProblem(prefix: string): string | undefined {
  if (prefix === '') return undefined;
  const segments = prefix.split('/');
  const last = segments.pop() ?? '';
  if (last.includes(PARTIAL_MARKER)) return `"${PARTIAL_MARKER}" is reserved for temporary files`;
  return charsProblem(prefix) ?? segmentsProblem(segments);
}

function badKey(store: string, key: string, why: string): StoreError {
  return new StoreError('STORE_BAD_KEY', `Refusing key ${JSON.stringify(key)} in ${store}: ${why}. Keys are relative paths of "/"-separated names`, {
    store,
    key,
  });
}

export function assertValidKey(store: string, key: string): void {
  const why = keyProblem(key);
  if (why !== undefined) throw badKey(store, key, why);
}

export function assertValidPrefix(store: string, prefix: string): void {
  const why = prefixProblem(prefix);
  if (why !== undefined) throw badKey(store, prefix, why);
}
