/** The RDB engine: streaming reader, decoders, DUMP payloads, verification and export. */
export { Crc64, crc64 } from './crc64';
export { lzfDecompress, LzfError } from './lzf';
export { RdbError, RdbErrorCode } from './errors';
export { RdbReader, RdbReaderOptions } from './reader';
export { RdbEntry } from './entry';
export * from './records';
export * from './value';
export { decodeValue } from './value-reader';
export { buildDumpPayload, parseDumpPayload } from './dump';
export { readRdbFile, readRdbStream, ReadResult } from './read-stream';
export { verifyRdbFile, verifyRdbStream, VerifyOptions } from './verify';
export { RdbSummary, SummaryCollector, DbSummary, BigKey } from './summary';
export { exportEntry, exportValue, ExportedKey } from './export/export-entry';
export { jsonBytes, bytesFromJson, JsonBytes } from './export/json-bytes';
export { formatScore, scoreFormatFor, ScoreFormat } from './export/score-format';
export { RDB_TYPES, MAX_RDB_VERSION, LogicalType } from './types';
export { exportRdb, ExportOptions, ExportFormat, ExportResult } from './export/export-rdb';
