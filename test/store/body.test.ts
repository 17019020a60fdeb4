import { PassThrough } from 'node:stream';
import { newBodyProgress, readBody } from '../../lambdas/store/body';

describe('readBody', () => {
  test('counts bytes and notes the end', async () => {
    const progress = newBodyProgress();
    const out: Buffer[] = [];
    async function* body(): AsyncGenerator<Buffer> {
      yield Buffer.from('ab');
      yield Buffer.from('cde');
    }
    for await (const chunk of readBody(body(), undefined, progress)) out.push(chunk);
    expect(Buffer.concat(out).toString()).toBe('abcde');
    expect(progress).toEqual({ bytes: 5, ended: true });
  });

  test("records the body's own failure", async () => {
    const boom = new Error('boom');
    async function* body(): AsyncGenerator<Buffer> {
      yield Buffer.from('x');
      throw boom;
    }
    const progress = newBodyProgress();
    await expect(
      (async () => {
        for await (const _ of readBody(body(), undefined, progress));
      })(),
    ).rejects.toBe(boom);
    expect(progress.failure).toEqual({ error: boom });
  });

  test('an abort interrupts a body that is waiting for data, and destroys it', async () => {
    const source = new PassThrough();
    source.write(Buffer.from('first'));
    const controller = new AbortController();
    const progress = newBodyProgress();
    const reading = (async () => {
      for await (const _ of readBody(source, controller.signal, progress)) setTimeout(() => controller.abort(), 10);
    })();
    await expect(reading).rejects.toMatchObject({ name: 'AbortError' });
    expect(progress.failure?.error).toBe(controller.signal.reason);
    expect(source.destroyed).toBe(true);
  });

  test('a consumer that gives up is not a body failure, and the body is released', async () => {
    const source = new PassThrough();
    source.write(Buffer.from('a'));
    const progress = newBodyProgress();
    const reader = readBody(source, undefined, progress);
    await reader.next();
    await expect(reader.throw(new Error('consumer gave up'))).rejects.toThrow('consumer gave up');
    expect(progress.failure).toBeUndefined();
    expect(source.destroyed).toBe(true);
  });
});
