/**
 * Endpoint secrets, fetched before a handler runs. Production uses the middy
 * secrets-manager middleware (one per secret, cached with an expiry, fetched
 * only when an event needs it); tests and local runs hand in the values
 * (staticSecrets). Either way the handler finds them on `context.secrets`,
 * keyed by secret ARN, and reads them as RedisSecretValue (the contract's format).
 */
import type { MiddlewareObj, Request } from '@middy/core';
import secretsManager from '@middy/secrets-manager';
import type { SecretsManagerClientConfig } from '@aws-sdk/client-secrets-manager';
import type { Context } from 'aws-lambda';
import { RedisEndpoint } from '../capture/endpoint';
import { parseRedisSecret, RedisSecretValue, RuntimeEndpoint } from '../../lib/config/runtime-config';

/** Secret values by id: parsed JSON, or the string when it is not JSON. */
export type SecretValues = Record<string, unknown>;

export interface SecretsContext extends Context {
  secrets?: SecretValues;
}

/** The secret ids an event needs (empty: none). */
export type SecretIds<TEvent> = (event: TEvent) => string[];

/** Makes the middleware that puts the secrets an event needs on `context.secrets`. */
export type SecretsMiddleware = <TEvent>(secretIds: SecretIds<TEvent>) => MiddlewareObj<TEvent, unknown, Error, Context>;

export class SecretError extends Error {
  readonly code = 'SECRET_UNAVAILABLE';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SecretError';
  }
}

export interface SecretsManagerSecretsOptions {
  /** How long a fetched secret is reused (default 5 minutes), so a rotation is picked up. */
  cacheExpiryMs?: number;
  awsClientOptions?: SecretsManagerClientConfig;
}

type ScratchRequest = Request<unknown, unknown, Error, Context, Record<string, unknown>>;

/** Secrets from AWS Secrets Manager through @middy/secrets-manager. */
export function secretsManagerSecrets(options: SecretsManagerSecretsOptions = {}): SecretsMiddleware {
  const perSecret = new Map<string, MiddlewareObj<unknown, unknown, Error, Context>>();
  const middlewareFor = (id: string): MiddlewareObj<unknown, unknown, Error, Context> => {
    let mw = perSecret.get(id);
    if (mw === undefined) {
      mw = secretsManager({
        fetchData: { value: id },
        cacheKey: `secrets-manager:${id}`,
        cacheExpiry: options.cacheExpiryMs ?? 5 * 60_000,
        disablePrefetch: true,
        awsClientOptions: options.awsClientOptions,
      }) as MiddlewareObj<unknown, unknown, Error, Context>;
      perSecret.set(id, mw);
    }
    return mw;
  };
  return <TEvent>(secretIds: SecretIds<TEvent>) => ({
    before: async (request: Request<TEvent, unknown, Error, Context>) => {
      const secrets: SecretValues = {};
      for (const id of new Set(secretIds(request.event))) {
        // Each secret's middleware fills its own scratch request: their internal keys do not collide.
        const scratch: ScratchRequest = { ...request, internal: {} };
        try {
          await middlewareFor(id).before?.(scratch);
          secrets[id] = await scratch.internal.value;
        } catch (e) {
          throw new SecretError(`Cannot read the secret ${id} from Secrets Manager: ${(e as Error).message}`, { cause: e });
        }
      }
      (request.context as SecretsContext).secrets = secrets;
    },
  });
}

/** Secrets handed in by value (tests, local runs). A missing one fails like a missing Secrets Manager secret. */
export function staticSecrets(values: SecretValues): SecretsMiddleware {
  return <TEvent>(secretIds: SecretIds<TEvent>) => ({
    before: async (request: Request<TEvent, unknown, Error, Context>) => {
      const secrets: SecretValues = {};
      for (const id of secretIds(request.event)) {
        if (!(id in values)) throw new SecretError(`Cannot read the secret ${id}: no such secret`);
        secrets[id] = values[id];
      }
      (request.context as SecretsContext).secrets = secrets;
    },
  });
}

/** The secret `secretArn` from the context, as endpoint credentials (undefined when the endpoint has no secret). */
export function endpointSecret(context: Context, secretArn: string | null): RedisSecretValue | undefined {
  if (secretArn === null) return undefined;
  const secrets = (context as SecretsContext).secrets ?? {};
  if (!(secretArn in secrets)) throw new SecretError(`The secret ${secretArn} was not loaded before the handler ran`);
  const value = secrets[secretArn];
  // The middleware hands over parsed JSON; the contract parses text.
  try {
    return parseRedisSecret(typeof value === 'string' ? value : JSON.stringify(value), secretArn);
  } catch (e) {
    throw new SecretError((e as Error).message);
  }
}

/** The endpoint as the engine takes it: address, TLS settings, and the credentials from its secret. */
export function endpointWith(config: Pick<RuntimeEndpoint, 'host' | 'port' | 'tls'>, secret: RedisSecretValue | undefined): RedisEndpoint {
  const endpoint: RedisEndpoint = { host: config.host, port: config.port };
  if (secret?.username !== undefined) endpoint.username = secret.username;
  if (secret?.password !== undefined) endpoint.password = secret.password;
  if (config.tls !== null) {
    endpoint.tls = { servername: config.tls.servername ?? config.host, rejectUnauthorized: config.tls.rejectUnauthorized };
    if (secret?.ca !== undefined) endpoint.tls.ca = secret.ca;
    if (secret?.cert !== undefined) endpoint.tls.cert = secret.cert;
    if (secret?.key !== undefined) endpoint.tls.key = secret.key;
  }
  return endpoint;
}

/** The secrets an endpoint needs. */
export const secretOf = (endpoint: Pick<RuntimeEndpoint, 'secretArn'> | null | undefined): string[] => (endpoint?.secretArn ? [endpoint.secretArn] : []);
