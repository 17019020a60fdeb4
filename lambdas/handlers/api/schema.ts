/** The API event schema for @middy/validator: per route, its path parameters, query and body. */
import { RESTORE_ID_PATTERN, RESTORE_REQUEST_SCHEMA, SNAPSHOT_ID_PATTERN } from '../restore-schemas';
import { compileSchema, NAME_SCHEMA } from '../validation';
import { ApiEvent } from './http';
import { API_ROUTES, RouteKey } from './routes';

export const MAX_PAGE = 100;
export const DEFAULT_PAGE = 20;

const params = (properties: Record<string, object>): object => ({
  type: 'object',
  properties: { pathParameters: { type: 'object', required: Object.keys(properties), properties } },
});

const PER_ROUTE: Partial<Record<RouteKey, object>> = {
  [API_ROUTES.listSnapshots]: {
    type: 'object',
    properties: {
      pathParameters: { type: 'object', required: ['source'], properties: { source: NAME_SCHEMA } },
      queryStringParameters: {
        type: 'object',
        properties: {
          limit: { type: 'string', pattern: `^(100|[1-9][0-9]?)$` },
          cursor: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,200}$' },
        },
      },
    },
  },
  [API_ROUTES.getSnapshot]: params({ source: NAME_SCHEMA, id: { type: 'string', pattern: SNAPSHOT_ID_PATTERN } }),
  [API_ROUTES.startBackup]: {
    type: 'object',
    properties: {
      pathParameters: { type: 'object', required: ['source'], properties: { source: NAME_SCHEMA } },
      // No options yet: an empty object, or no body.
      body: { type: 'object', additionalProperties: false, properties: {} },
    },
  },
  [API_ROUTES.startRestore]: { type: 'object', required: ['body'], properties: { body: RESTORE_REQUEST_SCHEMA } },
  [API_ROUTES.getRestore]: params({ id: { type: 'string', pattern: RESTORE_ID_PATTERN } }),
};

export const apiEventSchema = compileSchema<ApiEvent>({
  type: 'object',
  required: ['routeKey'],
  allOf: Object.entries(PER_ROUTE).map(([routeKey, then]) => ({ if: { properties: { routeKey: { const: routeKey } } }, then })),
});

/** Plain words for fields whose schema alternatives make ajv's message unhelpful. */
export const FIELD_HINTS: Record<string, string> = {
  source: 'must be the name of a configured source',
  target: 'must be the name of a configured restore target (a name, never an address)',
  snapshot: 'must be a snapshot id, "latest", or {"before": "<ISO 8601 time>"}',
  before: 'must be an ISO 8601 time with its zone, e.g. 2026-11-25T08:00:00Z',
  until: 'must be an ISO 8601 time with its zone, e.g. 2026-11-25T08:00:00Z',
  dbMap: 'must map source database numbers to target database numbers, e.g. {"0": 3}',
  limit: `must be a whole number from 1 to ${MAX_PAGE}`,
  cursor: 'must be the nextCursor of an earlier page',
  id: 'is not a valid id',
};
