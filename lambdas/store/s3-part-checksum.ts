import { S3Client } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';

/** The middleware's name in the client's stack. */
export const SINGLE_PASS_SHA256 = 'redisBackupSinglePassSha256';

interface Args {
  input: Record<string, unknown>;
  request: unknown;
}

interface HeaderRequest {
  headers: Record<string, string>;
  body?: unknown;
}

function hasHeaders(request: unknown): request is HeaderRequest {
  return typeof request === 'object' && request !== null && typeof (request as { headers?: unknown }).headers === 'object';
}

function hasChecksumHeader(headers: Record<string, string>): boolean {
  for (const name of Object.keys(headers)) {
    const lower = name.toLowerCase();
    if (lower.startsWith('x-amz-checksum-') || lower === 'x-amz-content-sha256') return true;
  }
  return false;
}

/**
 * For a request that asks for a SHA-256 checksum and carries its body in memory (an upload
 * part, or a small PutObject), the SDK hashes the body twice: once for the x-amz-checksum-sha256
 * header and once more to sign the payload (x-amz-content-sha256). Both are the same digest, so
 * this middleware computes it once and sets both headers; the SDK then uses them as they are.
 * S3 still checks the body against both. Streaming bodies and other checksums are left alone.
 */
export function addSinglePassSha256(client: S3Client): void {
  client.middlewareStack.add(
    (next) => async (args) => {
      const { input, request } = args as unknown as Args;
      if (input.ChecksumAlgorithm === 'SHA256' && hasHeaders(request) && request.body instanceof Uint8Array && !hasChecksumHeader(request.headers)) {
        const digest = createHash('sha256').update(request.body).digest();
        request.headers['x-amz-checksum-sha256'] = digest.toString('base64');
        request.headers['x-amz-content-sha256'] = digest.toString('hex');
      }
      return next(args);
    },
    // Before the SDK's flexible-checksums middleware (same step, normal priority) looks at the headers.
    // Adding it again replaces it: one copy per client.
    { step: 'build', priority: 'high', name: SINGLE_PASS_SHA256, override: true },
  );
}
