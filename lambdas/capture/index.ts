/** Capture: getting an RDB out of a Redis/Valkey server (replication, BGSAVE) or a file; or a consistent AOF set (live, or an existing AOF). */
export type { Capture, CaptureInfo, CaptureTimeouts, ReplicationCaptureOptions, BgsaveCaptureOptions } from './types';
export { DEFAULT_CAPTURE_TIMEOUTS } from './types';
export type { RedisEndpoint } from './endpoint';
export { EndpointError, parseRedisUrl, defaultSourceName, describeEndpoint } from './endpoint';
export type { CaptureErrorCode, CaptureErrorContext, CapturePhase } from './errors';
export { CaptureError } from './errors';
export { captureReplication } from './replication';
export { captureBgsave } from './bgsave';
export { captureFile } from './import';
export { REPLICATION_ACL } from './reply-errors';
export { BGSAVE_ACL } from './persistence';
export { SYNC_ALTERNATIVES } from './sync-errors';
export { captureAof } from './aof-capture';
export type { AofCaptureOptions } from './aof-capture';
export { openAofImport } from './aof-import';
export type { AofCapture, AofCaptureFile } from './aof-types';
export { AOF_CAPTURE_ACL } from './aof-server';
