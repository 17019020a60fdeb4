/**
 * Every failure as a JSON error with a stable code: request errors as they are,
 * the validator's and the body parser's as BAD_REQUEST naming the field, engine
 * errors mapped to what they mean for the caller, anything else as INTERNAL
 * (logged, its details kept out of the response). This middleware turns the
 * error into an HTTP error whose message is the JSON body; @middy/http-error-handler,
 * which runs after it, renders the response.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { MiddlewareObj } from '@middy/core';
import type { ErrorObject } from 'ajv';
import { CatalogError } from '../../catalog/errors';
import { StoreError } from '../../store/errors';
import { RequestError } from '../errors';
import { errorField, primaryError } from '../validation';
import { ApiEvent, ApiResponse, ErrorBody } from './http';
import { FIELD_HINTS } from './schema';

interface MiddyHttpError extends Error {
  statusCode?: number;
  cause?: { package?: string; data?: unknown };
}

const ROOTS = ['/body', '/queryStringParameters', '/pathParameters'];

/** The validator's first error, as a field and a sentence. */
function validationError(errors: ErrorObject[]): RequestError {
  const error = primaryError(errors);
  if (error === undefined) return new RequestError(400, 'BAD_REQUEST', 'The request is not valid');
  const root = ROOTS.find((r) => error.instancePath === r || error.instancePath.startsWith(`${r}/`)) ?? '';
  const field = errorField(error, root) || 'body';
  const params = error.params as { additionalProperty?: string; missingProperty?: string; allowedValues?: unknown[] };
  const hint = FIELD_HINTS[field.split('.').pop() ?? field];
  let what: string;
  if (params.additionalProperty !== undefined) what = 'is not a field this request takes';
  else if (params.missingProperty !== undefined) what = 'is required';
  else if (hint !== undefined) what = hint;
  else if (params.allowedValues !== undefined) what = `must be one of ${params.allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
  else if (error.keyword === 'pattern' || error.keyword === 'propertyNames') what = 'is not valid';
  else what = error.message ?? 'is not valid';
  if (field === 'body' && error.keyword === 'type') what = 'must be a JSON object (send Content-Type: application/json)';
  return new RequestError(400, 'BAD_REQUEST', `${field} ${what}`, field);
}

/** What an error means for the caller. */
export function toRequestError(e: unknown): RequestError | null {
  if (e instanceof RequestError) return e;
  const http = e as MiddyHttpError;
  if (http?.cause?.package === '@middy/validator' && http.statusCode === 400) return validationError((http.cause.data ?? []) as ErrorObject[]);
  if (http?.cause?.package === '@middy/http-json-body-parser') return new RequestError(400, 'BAD_REQUEST', 'body is not valid JSON', 'body');
  if (e instanceof CatalogError && e.code === 'CATALOG_SNAPSHOT_NOT_FOUND') return new RequestError(404, 'NOT_FOUND', e.message);
  if (e instanceof StoreError && ['STORE_UNREACHABLE', 'STORE_ACCESS_DENIED'].includes(e.code)) {
    return new RequestError(503, 'SERVICE_UNAVAILABLE', 'The snapshot store cannot be reached; try again later');
  }
  return null;
}

export function errorResponses(logger: Logger): MiddlewareObj<ApiEvent, ApiResponse> {
  return {
    onError: async (request) => {
      const requestId = request.event?.requestContext?.requestId ?? request.context.awsRequestId;
      const known = toRequestError(request.error);
      const error = known ?? new RequestError(500, 'INTERNAL', `Internal error; quote request id ${requestId}`);
      if (known === null) logger.error('Request failed', { cause: request.error ?? undefined });
      else logger.info('Request refused', { status: error.status, code: error.code, field: error.field, message: error.message });
      const body: ErrorBody = { error: { code: error.code, message: error.message, ...(error.field !== undefined ? { field: error.field } : {}) }, requestId };
      request.error = Object.assign(new Error(JSON.stringify(body), { cause: request.error }), { statusCode: error.status, expose: true });
    },
  };
}

/** What http-error-handler answers should an error reach it unconverted. */
export const FALLBACK_ERROR = JSON.stringify({ error: { code: 'INTERNAL', message: 'Internal error' } });
