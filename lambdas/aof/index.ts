/** The AOF engine: streaming command reader, RDB preamble hand-over, multi-part manifests, verification. */
export { AofError, AofErrorCode } from './errors';
export { AofCommandReader, AofLimits, CommandReaderOptions, DEFAULT_AOF_LIMITS } from './command-reader';
export { AofReader, AofReaderOptions } from './reader';
export * from './records';
export { splitArgs } from './split-args';
export { AofFileType, AofManifest, ManifestEntry, MANIFEST_MAX_LINE, loadOrder, parseManifest } from './manifest';
export { AofLayout, DEFAULT_AOF_DIR, DEFAULT_AOF_NAME, isAofTarget, isManifestFile, locateAof } from './locate';
export { AofFileRead, readAofFile, ReadAofFileOptions } from './read-file';
export { AofPart, AofSet, readAof, ReadAofOptions, ReadAofResult, resolveAofSet } from './read-set';
export { AofFileReport, AofProblem, AofVerifyReport, verifyAof, VerifyAofOptions } from './verify';
export { encodeCommand, TransactionGrouper } from './transactions';
export { formatAofReport } from './report-text';
