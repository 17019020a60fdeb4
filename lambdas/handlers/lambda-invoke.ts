/**
 * An asynchronous invocation (InvocationType Event) of a Lambda function.
 *
 * The project has no @aws-sdk/client-lambda, so the Invoke call is signed here
 * with the SDK's own SigV4 signer and default credential chain, which is what
 * the client would do. With client-lambda added, this becomes
 * InvokeCommand({ FunctionName, InvocationType: 'Event', Payload }).
 */
import { createHash, createHmac, Hash, Hmac } from 'node:crypto';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider, Checksum, SourceData } from '@smithy/types';
export interface LambdaInvokerOptions {
  region?: string;
  /** Instead of https://lambda.<region>.amazonaws.com (tests, emulators). */
  endpoint?: string;
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
}

/** SHA-256, or HMAC-SHA-256 with a secret, for the signer. */
class NodeSha256 implements Checksum {
  private hash: Hash | Hmac;
  constructor(private readonly secret?: SourceData) {
    this.hash = this.fresh();
  }
  private fresh(): Hash | Hmac {
    return this.secret === undefined ? createHash('sha256') : createHmac('sha256', toBuffer(this.secret));
  }
  update(data: Uint8Array): void {
    this.hash.update(data);
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
  reset(): void {
    this.hash = this.fresh();
  }
}

function toBuffer(data: SourceData): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}

export class InvokeError extends Error {
  readonly code = 'INVOKE_FAILED';
  constructor(message: string) {
    super(message);
    this.name = 'InvokeError';
  }
}

export interface AsyncInvoker {
  /** Resolves once Lambda has queued the invocation (HTTP 202). */
  invoke(payload: unknown): Promise<void>;
}

/** Invokes `functionName` (a name or an ARN) asynchronously with a JSON payload. */
export function lambdaAsyncInvoker(functionName: string, options: LambdaInvokerOptions = {}): AsyncInvoker {
  const region = options.region ?? process.env.AWS_REGION ?? 'us-east-1';
  const base = new URL(options.endpoint ?? `https://lambda.${region}.amazonaws.com`);
  const signer = new SignatureV4({ service: 'lambda', region, credentials: options.credentials ?? defaultProvider(), sha256: NodeSha256 });
  return {
    async invoke(payload: unknown): Promise<void> {
      const body = JSON.stringify(payload);
      const path = `/2015-03-31/functions/${encodeURIComponent(functionName)}/invocations`;
      const signed = await signer.sign({
        method: 'POST',
        protocol: base.protocol,
        hostname: base.hostname,
        port: base.port === '' ? undefined : Number(base.port),
        path,
        query: {},
        headers: { host: base.host, 'content-type': 'application/json', 'x-amz-invocation-type': 'Event' },
        body,
      });
      const response = await fetch(new URL(path, base), { method: 'POST', headers: signed.headers, body });
      if (response.status !== 202) {
        const text = await response.text().catch(() => '');
        throw new InvokeError(`Invoking ${functionName} failed: HTTP ${response.status} ${text.slice(0, 500)}`);
      }
    },
  };
}
