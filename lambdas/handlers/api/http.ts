/** The API's events and responses. */
import type { APIGatewayProxyEventV2WithIAMAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { RequestErrorCode } from '../errors';

/** An HTTP API (payload 2.0, IAM authorization) event, its body parsed from JSON by the time a route sees it. */
export type ApiEvent = Omit<APIGatewayProxyEventV2WithIAMAuthorizer, 'body'> & { body?: unknown };

export type ApiResponse = APIGatewayProxyStructuredResultV2;

export interface ErrorBody {
  error: { code: RequestErrorCode; message: string; field?: string };
  requestId: string;
}

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): ApiResponse {
  // The header names http-error-handler uses for errors.
  return { statusCode, headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) };
}

/** A path parameter the route guarantees (checked by the event schema). */
export function param(event: ApiEvent, name: string): string {
  const value = event.pathParameters?.[name];
  if (value === undefined) throw new Error(`The route has no {${name}} parameter`);
  return value;
}

/** Who called (IAM), for the logs. */
export function caller(event: ApiEvent): string | undefined {
  return event.requestContext.authorizer?.iam?.userArn ?? undefined;
}
