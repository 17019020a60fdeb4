/** Rebuilding keys as ordinary commands, for targets that cannot RESTORE the snapshot's DUMP payloads. */
export { rewriteEntry } from './commands';
export type { Rewrite, RewriteOptions } from './commands';
export { capabilitiesFromInfo, describeTarget, rdbVersionFor, rdbVersionFromRestoreError, restoreFooter, targetAtLeast } from './capabilities';
export { keyLabel } from './lossy';
export { scoreText } from './collections';
export { MAX_COMMAND_BYTES, MAX_ITEMS_PER_COMMAND } from './batch';
