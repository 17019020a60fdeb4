/** Restore of AOF snapshots: replay into a running server (load), or the files written into a data directory (file). */
export { AofRestoreError, AofRestoreErrorCode } from './errors';
export { AofSource, AofSourceFile } from './source';
export { localAofSource } from './local-source';
export { findAofSnapshot, storeAofSource } from './store-source';
export { ZstdFramesDecoder } from './zstd-frames';
export { AofLoadOptions, AofLoadRequest, loadAof } from './load';
export { AofFileOutcome, AofLoadReport } from './report';
export { CommandRouter, DbRouting } from './command-router';
export { AofFileModeReport, AofFileModeRequest, writeAofFiles } from './file-mode';
export { AofSnapshotFileReport, AofSnapshotLoadReport, restoreAofSnapshot, restoreAofSnapshotToDirectory } from './snapshot-restore';
