import { CreateMultipartUploadCommand, S3Client, UploadPartCommand } from '@aws-sdk/client-s3';
import { MultipartWriter } from '../../lambdas/store/s3-multipart';
import { chunks, MIB, randomData } from './bodies';

const PART = 5 * MIB;

/**
 * An S3 whose UploadPart requests hang until the test lets them answer: a stuck request is a
 * fault s3rver cannot produce on demand (the store tests run everything else against s3rver).
 */
class StuckS3 {
  readonly sent: string[] = [];
  private release: Array<() => void> = [];

  readonly client = {
    send: (command: unknown): Promise<unknown> => {
      if (command instanceof CreateMultipartUploadCommand) {
        this.sent.push('CreateMultipartUpload');
        return Promise.resolve({ UploadId: 'upload-1' });
      }
      if (command instanceof UploadPartCommand) {
        this.sent.push(`UploadPart ${command.input.PartNumber}`);
        return new Promise((resolve) => this.release.push(() => resolve({ ETag: `"etag-${command.input.PartNumber}"` })));
      }
      return Promise.reject(new Error(`unexpected ${String(command)}`));
    },
  } as unknown as S3Client;

  answerAll(): void {
    for (const answer of this.release.splice(0)) answer();
  }
}

const settled = async (promise: Promise<unknown>): Promise<boolean> => {
  let done = false;
  promise.then(
    () => (done = true),
    () => (done = true),
  );
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
  return done;
};

describe('MultipartWriter.stop', () => {
  test('wakes a write waiting for S3, which rejects with the reason once the part in flight has settled', async () => {
    const s3 = new StuckS3();
    const writer = new MultipartWriter({ client: s3.client, bucket: 'b', s3Key: 'k', partSize: PART, queueSize: 1 });
    const writing = writer.write(chunks(randomData(3 * PART)));
    while (!s3.sent.includes('UploadPart 1')) await new Promise((resolve) => setImmediate(resolve));
    expect(await settled(writing)).toBe(false); // the second part waits for a slot

    const reason = new Error('caller aborted');
    writer.stop(reason);
    expect(await settled(writing)).toBe(false); // part 1 is still in flight: no abort may be sent yet
    s3.answerAll();
    await expect(writing).rejects.toBe(reason);
    expect(s3.sent).toEqual(['CreateMultipartUpload', 'UploadPart 1']);
    expect(writer.uploadId).toBe('upload-1');
  });
});
