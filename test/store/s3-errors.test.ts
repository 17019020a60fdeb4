import { StoreError } from '../../lambdas/store/errors';
import { mapS3Error, S3Target } from '../../lambdas/store/s3-errors';

const target: S3Target = { store: 's3://bkt/backups/', bucket: 'bkt', key: 'src/lock.json', s3Key: 'backups/src/lock.json' };

function sdkError(name: string, status: number | undefined, message = 'boom'): Error {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });
}

describe('mapS3Error', () => {
  test('AccessDenied names the action, the object and the permission to grant', () => {
    const error = mapS3Error(sdkError('AccessDenied', 403, 'Access Denied'), 'PutObject', target);
    expect(error).toBeInstanceOf(StoreError);
    expect(error.code).toBe('STORE_ACCESS_DENIED');
    expect(error.context).toEqual({ store: 's3://bkt/backups/', key: 'src/lock.json' });
    expect(error.message).toBe(
      'S3 PutObject on s3://bkt/backups/src/lock.json failed (AccessDenied 403: Access Denied): ' +
        'grant s3:PutObject on arn:aws:s3:::bkt/* to the identity running redis-backup',
    );
    expect(mapS3Error(sdkError('Forbidden', 403), 'HeadObject', target).message).toMatch(/s3:ListBucket is not granted/);
    expect(mapS3Error(sdkError('AccessDenied', 403), 'ListObjectsV2', target).message).toMatch(/s3:ListBucket on arn:aws:s3:::bkt to/);
  });

  test.each([
    [sdkError('NoSuchKey', 404), 'GetObject', 'STORE_NOT_FOUND'],
    [sdkError('NotFound', 404), 'HeadObject', 'STORE_NOT_FOUND'],
    [sdkError('NoSuchBucket', 404), 'GetObject', 'STORE_BAD_URL'],
    [sdkError('PermanentRedirect', 301), 'ListObjectsV2', 'STORE_BAD_URL'],
    [sdkError('InvalidAccessKeyId', 403), 'GetObject', 'STORE_ACCESS_DENIED'],
    [sdkError('ExpiredToken', 400), 'GetObject', 'STORE_ACCESS_DENIED'],
    [Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }), 'GetObject', 'STORE_ACCESS_DENIED'],
    [Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }), 'UploadPart', 'STORE_UNREACHABLE'],
    [Object.assign(new Error('timed out'), { name: 'TimeoutError' }), 'GetObject', 'STORE_UNREACHABLE'],
    [new Error('AWS SDK error wrapper for Error: getaddrinfo ENOTFOUND s3.example'), 'GetObject', 'STORE_UNREACHABLE'],
    [sdkError('SlowDown', 503), 'PutObject', 'STORE_UNREACHABLE'],
    [sdkError('InternalError', 500), 'GetObject', 'STORE_UNREACHABLE'],
    [new Error('Region is missing'), 'GetObject', 'STORE_BAD_URL'],
    [sdkError('InvalidArgument', 400), 'PutObject', 'STORE_WRITE_FAILED'],
    [sdkError('InvalidArgument', 400), 'GetObject', 'STORE_READ_FAILED'],
  ] as const)('%s during %s → %s', (error, action, code) => {
    expect(mapS3Error(error, action, target).code).toBe(code);
  });

  test('messages say what to do next', () => {
    expect(mapS3Error(sdkError('NoSuchBucket', 404), 'GetObject', target).message).toMatch(/bucket bkt does not exist: create it or fix the store URL/);
    expect(mapS3Error(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), 'GetObject', target).message).toMatch(
      /could not reach S3: check the network, the endpoint \(REDIS_BACKUP_S3_ENDPOINT for S3-compatible servers\)/,
    );
    expect(mapS3Error(new Error('Region is missing'), 'GetObject', target).message).toMatch(/set AWS_REGION/);
  });

  test('a StoreError passes through unchanged', () => {
    const original = new StoreError('STORE_LOCKED', 'x', { store: 's' });
    expect(mapS3Error(original, 'GetObject', target)).toBe(original);
  });
});
