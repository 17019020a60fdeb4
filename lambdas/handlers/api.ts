/**
 * The HTTP API function (API Gateway HTTP API, payload 2.0, IAM authorization):
 *
 *   GET  /sources                            configured sources, their newest snapshot and restore targets
 *   GET  /sources/{source}/snapshots         snapshots, newest first (?limit=1..100&cursor=)
 *   GET  /sources/{source}/snapshots/{id}    one snapshot and its manifest
 *   POST /sources/{source}/snapshots         on-demand backup (backup-starter.ts): 202 {requestId}
 *   POST /restores                           {source, snapshot: id|"latest"|{before}, target, mode?, options?}:
 *                                            the restore state machine started, 202 {restoreId}
 *   GET  /restores/{id}                      status, progress, report
 *
 * Errors: {"error": {"code", "message", "field"?}, "requestId"} with codes from errors.ts.
 */
import httpErrorHandler from '@middy/http-error-handler';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import middy, { MiddlewareObj } from '@middy/core';
import validator from '@middy/validator';
import type { Context } from 'aws-lambda';
import { ApiDeps } from './api/deps';
import { errorResponses, FALLBACK_ERROR } from './api/error-responses';
import { ApiEvent, ApiResponse } from './api/http';
import { getRestore, startRestore } from './api/restores';
import { API_ROUTES, matchRoute, ROUTE_KEYS, RouteKey } from './api/routes';
import { apiEventSchema } from './api/schema';
import { getSnapshot, listSnapshots, listSources, startBackup } from './api/sources';
import { backupStarterFromEnv } from './backup-starter';
import { notFound } from './errors';
import { createObservability, powertools } from './observability';
import { stepFunctionsRestoreStarter } from './restore-starter';
import { ENV, once } from './runtime';
import { serviceFromEnv } from './service';

export type { ApiDeps } from './api/deps';

const ROUTES: Record<RouteKey, (event: ApiEvent, deps: ApiDeps) => Promise<ApiResponse>> = {
  [API_ROUTES.listSources]: listSources,
  [API_ROUTES.listSnapshots]: listSnapshots,
  [API_ROUTES.getSnapshot]: getSnapshot,
  [API_ROUTES.startBackup]: startBackup,
  [API_ROUTES.startRestore]: startRestore,
  [API_ROUTES.getRestore]: getRestore,
};

const isRouteKey = (key: string): key is RouteKey => (ROUTE_KEYS as readonly string[]).includes(key);

/** Finds the route when API Gateway did not (a $default or proxy route), so that validation applies all the same. */
function routing(): MiddlewareObj<ApiEvent, ApiResponse> {
  return {
    before: async ({ event }) => {
      if (isRouteKey(event.routeKey)) return;
      const method = event.requestContext.http.method;
      const match = matchRoute(method, event.rawPath);
      if (match === null) throw notFound(`No route ${method} ${event.rawPath}`);
      event.routeKey = match.routeKey;
      event.pathParameters = match.pathParameters;
    },
  };
}

/** An empty body is no body, whatever its Content-Type says. */
function emptyBodyIsNone(): MiddlewareObj<ApiEvent, ApiResponse> {
  return {
    before: async ({ event }) => {
      if (event.body === '' || event.body === undefined || event.body === null) {
        delete event.body;
        if (event.headers !== undefined) delete event.headers['content-type'];
      }
    },
  };
}

export function createApiHandler(deps: ApiDeps): middy.MiddyfiedHandler<ApiEvent, ApiResponse, Error, Context> {
  const obs = deps.observability;
  const api = async (event: ApiEvent): Promise<ApiResponse> => {
    const route = event.routeKey as RouteKey;
    obs.logger.appendKeys({ route });
    return ROUTES[route](event, deps);
  };
  return middy<ApiEvent, ApiResponse, Error, Context>(api)
    .use(powertools(obs, 'requestContext.requestId'))
    .use(httpErrorHandler({ logger: false, fallbackMessage: FALLBACK_ERROR }) as MiddlewareObj<ApiEvent, ApiResponse>)
    .use(errorResponses(obs.logger))
    .use(httpHeaderNormalizer() as MiddlewareObj<ApiEvent, ApiResponse>)
    .use(routing())
    .use(emptyBodyIsNone())
    .use(httpJsonBodyParser({ disableContentTypeError: true }) as MiddlewareObj<ApiEvent, ApiResponse>)
    .use(validator({ eventSchema: apiEventSchema }) as MiddlewareObj<ApiEvent, ApiResponse>);
}

function required(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`The environment variable ${name} is not set (the CDK stack sets it)`);
  return value;
}

export const handler = createApiHandler({
  service: serviceFromEnv,
  observability: createObservability(),
  backups: once(() => backupStarterFromEnv()),
  restores: once(() => stepFunctionsRestoreStarter(required(ENV.restoreStateMachineArn))),
});
