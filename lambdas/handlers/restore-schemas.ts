/** JSON schemas of restore requests, shared by the API (request bodies) and the restore-step function (its event). */
import { NAME_SCHEMA } from './validation';

export const RESTORE_ID_PATTERN = '^r\\d{8}T\\d{6}Z-[0-9a-f]{6}$';
export const SNAPSHOT_ID_PATTERN = '^\\d{8}T\\d{6}Z-[0-9a-f]{6}$';
/** An ISO 8601 time with its zone, e.g. 2026-11-25T08:00:00Z. */
export const ISO_TIME_PATTERN = '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:\\d{2})$';

const globList = { type: 'array', maxItems: 100, items: { type: 'string', minLength: 1, maxLength: 1024 } };

/** RestoreRequestOptions (lib/config/runtime-config.ts). */
export const RESTORE_OPTIONS_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    flush: { type: 'boolean' },
    replace: { type: 'boolean' },
    allowLossy: { type: 'boolean' },
    dbs: { type: 'array', maxItems: 64, items: { type: 'integer', minimum: 0, maximum: 65535 } },
    dbMap: { type: 'object', propertyNames: { pattern: '^(0|[1-9][0-9]{0,4})$' }, additionalProperties: { type: 'integer', minimum: 0, maximum: 65535 } },
    match: globList,
    types: { type: 'array', maxItems: 7, items: { enum: ['string', 'list', 'set', 'zset', 'hash', 'stream', 'module'] } },
    sampleKeys: { type: 'integer', minimum: 0, maximum: 100000 },
    dryRun: { type: 'boolean' },
    repoint: { type: 'boolean' },
    until: { type: 'string', pattern: ISO_TIME_PATTERN },
  },
} as const;

export const SNAPSHOT_SELECTOR_SCHEMA = {
  anyOf: [
    { type: 'string', pattern: `^latest$|${SNAPSHOT_ID_PATTERN}` },
    { type: 'object', required: ['before'], additionalProperties: false, properties: { before: { type: 'string', pattern: ISO_TIME_PATTERN } } },
  ],
} as const;

const MODE_SCHEMA = { enum: ['load', 'cluster', 'file'] } as const;

/** POST /restores: {source, snapshot: id | "latest" | {before}, target, mode?, options?} (RestoreRequestBody; mode defaults to the target's). */
export const RESTORE_REQUEST_SCHEMA = {
  type: 'object',
  required: ['source', 'snapshot', 'target'],
  additionalProperties: false,
  properties: {
    source: NAME_SCHEMA,
    snapshot: SNAPSHOT_SELECTOR_SCHEMA,
    // A name, never an endpoint: targets are configured with their secrets.
    target: NAME_SCHEMA,
    mode: MODE_SCHEMA,
    options: RESTORE_OPTIONS_SCHEMA,
  },
} as const;

/** The restore-step function's event: {step, state} (RestoreStepEvent). */
export const RESTORE_STEP_SCHEMA = {
  type: 'object',
  required: ['step', 'state'],
  properties: {
    step: { enum: ['validate', 'verify-snapshot', 'restore', 'verify-target', 'repoint', 'record-failure'] },
    state: {
      type: 'object',
      required: ['restoreId', 'source', 'snapshot', 'target', 'mode', 'options'],
      properties: {
        restoreId: { type: 'string', pattern: RESTORE_ID_PATTERN },
        source: NAME_SCHEMA,
        snapshot: SNAPSHOT_SELECTOR_SCHEMA,
        target: NAME_SCHEMA,
        mode: MODE_SCHEMA,
        options: RESTORE_OPTIONS_SCHEMA,
        snapshotId: { type: 'string', pattern: SNAPSHOT_ID_PATTERN },
        engineRestoreId: { type: 'string' },
        more: { type: 'boolean' },
        invocations: { type: 'integer', minimum: 0 },
        error: { type: 'object', required: ['Error'], properties: { Error: { type: 'string' }, Cause: { type: 'string' } } },
      },
    },
  },
} as const;
