/** Powertools for every function: a structured logger with correlation ids, EMF metrics, X-Ray tracing. */
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import type { MiddlewareObj } from '@middy/core';

export const SERVICE_NAME = 'redis-backup';
/** The CloudWatch namespace of every metric (POWERTOOLS_METRICS_NAMESPACE overrides it). */
export const METRICS_NAMESPACE = 'RedisBackup';

export interface Observability {
  logger: Logger;
  metrics: Metrics;
  tracer: Tracer;
}

/**
 * Finds the correlation id at a dotted path into the event ('requestContext.requestId').
 * Powertools' JMESPath search needs @aws-lambda-powertools/jmespath, which the project does
 * not install; dotted paths are all the handlers use.
 */
export function searchPath(expression: string, data: unknown): unknown {
  let value: unknown = data;
  for (const key of expression.split('.')) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

export function createObservability(env: NodeJS.ProcessEnv = process.env): Observability {
  const serviceName = env.POWERTOOLS_SERVICE_NAME ?? SERVICE_NAME;
  return {
    logger: new Logger({ serviceName, correlationIdSearchFn: searchPath }),
    metrics: new Metrics({ serviceName, namespace: env.POWERTOOLS_METRICS_NAMESPACE ?? METRICS_NAMESPACE }),
    tracer: new Tracer({ serviceName }),
  };
}

/**
 * The Powertools middlewares, outermost first: the handler traced, the logger
 * given the Lambda context and the correlation id found at `correlationIdPath`
 * (a JMESPath into the event, when the event carries one), metrics flushed as EMF at the end (with the
 * cold-start metric), also when the handler fails.
 */
export function powertools(obs: Observability, correlationIdPath?: string): MiddlewareObj[] {
  return [
    captureLambdaHandler(obs.tracer) as MiddlewareObj,
    injectLambdaContext(obs.logger, { ...(correlationIdPath !== undefined ? { correlationIdPath } : {}), resetKeys: true }) as MiddlewareObj,
    logMetrics(obs.metrics, { captureColdStartMetric: true }) as MiddlewareObj,
  ];
}

interface ValidatorError {
  cause?: { package?: string; data?: Array<{ instancePath?: string; message?: string }> };
}

/** A message and stable code for logs and responses, whatever was thrown (an event the validator refused: INVALID_EVENT). */
export function describeError(e: unknown): { code: string; message: string } {
  const cause = (e as ValidatorError | null)?.cause;
  if (cause?.package === '@middy/validator') {
    const first = cause.data?.[0];
    return { code: 'INVALID_EVENT', message: `The event is not valid: ${first?.instancePath || '(root)'} ${first?.message ?? ''}`.trim() };
  }
  const code = typeof e === 'object' && e !== null && typeof (e as { code?: unknown }).code === 'string' ? (e as { code: string }).code : 'ERROR';
  return { code, message: e instanceof Error ? e.message : String(e) };
}
