import { abortedError } from './errors';
import { Capture, CaptureInfo } from './types';

/**
 * A Capture over a payload generator: the payload can be iterated once; the
 * source is released when the iteration ends (completed, failed or abandoned)
 * or when close() is called.
 */
export class PayloadCapture implements Capture {
  private iterated = false;
  private closed = false;
  private released: Promise<void> | null = null;
  readonly payload: AsyncIterable<Buffer>;

  constructor(
    readonly info: CaptureInfo,
    private readonly produce: () => AsyncGenerator<Buffer>,
    private readonly release: () => Promise<void> | void,
    private readonly name: string,
  ) {
    this.payload = {
      [Symbol.asyncIterator]: () => {
        if (this.iterated) throw new Error('A capture payload can be read only once');
        this.iterated = true;
        return this.run();
      },
    };
  }

  private async *run(): AsyncGenerator<Buffer> {
    try {
      if (this.closed) throw abortedError(this.name, 'the capture was closed before its payload was read');
      yield* this.produce();
    } finally {
      await this.close();
    }
  }

  close(): Promise<void> {
    this.closed = true;
    this.released ??= Promise.resolve(this.release());
    return this.released;
  }
}
