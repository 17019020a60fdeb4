/** A Redis/Valkey server to connect to, as configured for a source or a restore target. */
export interface RedisEndpoint {
  host: string;
  port: number;
  username?: string;
  password?: string;
  /** TLS (rediss://): CA, client certificate and key (PEM), SNI name. */
  tls?: {
    ca?: string | Buffer;
    cert?: string | Buffer;
    key?: string | Buffer;
    servername?: string;
    rejectUnauthorized?: boolean;
  };
}

export class EndpointError extends Error {
  readonly code = 'ENDPOINT_INVALID';
  constructor(message: string) {
    super(message);
    this.name = 'EndpointError';
  }
}

/** Parses redis://[user[:password]@]host[:port] or rediss://... (TLS). */
export function parseRedisUrl(url: string): RedisEndpoint {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new EndpointError(`Not a Redis URL: ${JSON.stringify(url)} (expected redis://[user:password@]host[:port] or rediss://...)`);
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') {
    throw new EndpointError(`Unsupported scheme ${u.protocol} in ${JSON.stringify(url)}: use redis:// or rediss://`);
  }
  const port = u.port === '' ? 6379 : Number(u.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new EndpointError(`Invalid port in ${JSON.stringify(url)}`);
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
  if (host === '') throw new EndpointError(`No host in ${JSON.stringify(url)}`);
  const endpoint: RedisEndpoint = { host, port };
  if (u.username !== '') endpoint.username = decodeURIComponent(u.username);
  if (u.password !== '') endpoint.password = decodeURIComponent(u.password);
  if (u.username !== '' && u.password === '') {
    // redis://:password@host and redis://password@host are both common: a lone user part is the password.
    endpoint.password = endpoint.username;
    delete endpoint.username;
  }
  if (u.protocol === 'rediss:') endpoint.tls = { servername: host };
  return endpoint;
}

/** The default source name for an endpoint, e.g. 127.0.0.1-6379. */
export function defaultSourceName(endpoint: RedisEndpoint): string {
  return `${endpoint.host.replace(/[^A-Za-z0-9.-]/g, '_')}-${endpoint.port}`;
}

/** The endpoint without its secrets, for messages and manifests. */
export function describeEndpoint(endpoint: RedisEndpoint): string {
  return `${endpoint.tls ? 'rediss' : 'redis'}://${endpoint.username ? `${endpoint.username}@` : ''}${endpoint.host}:${endpoint.port}`;
}
