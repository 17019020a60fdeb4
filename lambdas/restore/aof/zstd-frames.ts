import { Transform, TransformCallback } from 'node:stream';
import { createZstdDecompress, ZstdDecompress } from 'node:zlib';

const ZSTD_MAGIC = 0xfd2fb528;
const isSkippable = (magic: number): boolean => magic >>> 4 === 0x184d2a5;

/**
 * Decompresses a zstd stream of any number of frames. Node's decoder stops at the
 * end of the first frame, so this one finds the frame boundaries itself (frame
 * header, then block headers up to the last block, then the optional checksum;
 * skippable frames are skipped) and decodes each frame with a fresh decoder.
 */
export class ZstdFramesDecoder extends Transform {
  /** Bytes not yet assigned to a frame part. */
  private pending: Buffer = Buffer.alloc(0);
  /** Bytes of the current frame still to pass through before the next header to parse. */
  private passBytes = 0;
  /** What to parse next once passBytes is 0. */
  private state: 'frame' | 'block' | 'checksum' | 'skip' = 'frame';
  private checksum = false;
  private lastBlock = false;
  private decoder: ZstdDecompress | null = null;
  private decoded = 0;

  private frames = 0;

  /** Frames decoded so far. */
  get frameCount(): number {
    return this.frames;
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    this.pump().then(() => done(), done);
  }

  override _flush(done: TransformCallback): void {
    this.pump()
      .then(() => {
        if (this.decoder !== null || this.pending.length > 0 || this.passBytes > 0) throw new Error('the zstd stream ends inside a frame (the object is truncated)');
        if (this.frames === 0 && this.decoded === 0) throw new Error('the zstd stream holds no frame');
        done();
      })
      .catch(done);
  }

  private async pump(): Promise<void> {
    for (;;) {
      if (this.passBytes > 0) {
        if (this.pending.length === 0) return;
        const n = Math.min(this.passBytes, this.pending.length);
        const part = this.pending.subarray(0, n);
        this.pending = this.pending.subarray(n);
        this.passBytes -= n;
        if (this.state !== 'skip' || this.decoder !== null) await this.feed(part);
        continue;
      }
      if (this.state === 'skip') this.state = 'frame';
      if (this.state === 'frame') {
        if (!(await this.parseFrameHeader())) return;
      } else if (this.state === 'block') {
        if (this.lastBlock) {
          this.state = 'checksum';
          this.passBytes = this.checksum ? 4 : 0;
          continue;
        }
        if (this.pending.length < 3) return;
        const h = this.pending[0] | (this.pending[1] << 8) | (this.pending[2] << 16);
        this.lastBlock = (h & 1) === 1;
        const type = (h >> 1) & 3;
        if (type === 3) throw new Error('invalid zstd block type (the object is corrupt)');
        this.passBytes = 3 + (type === 1 ? 1 : h >>> 3);
      } else {
        // The frame is complete (checksum included): close its decoder.
        await this.endFrame();
        this.state = 'frame';
      }
    }
  }

  private async parseFrameHeader(): Promise<boolean> {
    if (this.pending.length < 4) return false;
    const magic = this.pending.readUInt32LE(0);
    if (isSkippable(magic)) {
      if (this.pending.length < 8) return false;
      this.passBytes = 8 + this.pending.readUInt32LE(4);
      this.state = 'skip';
      return true;
    }
    if (magic !== ZSTD_MAGIC) throw new Error(`not a zstd frame at the start of frame ${this.frames + 1} (the object is corrupt)`);
    if (this.pending.length < 5) return false;
    const fhd = this.pending[4];
    const singleSegment = (fhd & 0x20) !== 0;
    const fcsSize = [singleSegment ? 1 : 0, 2, 4, 8][fhd >> 6];
    const didSize = [0, 1, 2, 4][fhd & 3];
    this.checksum = (fhd & 4) !== 0;
    this.lastBlock = false;
    this.decoder = createZstdDecompress();
    this.decoder.on('data', (d: Buffer) => {
      this.decoded += d.length;
      this.push(d);
    });
    this.passBytes = 5 + (singleSegment ? 0 : 1) + didSize + fcsSize;
    this.state = 'block';
    return true;
  }

  private async feed(part: Buffer): Promise<void> {
    const d = this.decoder!;
    await new Promise<void>((resolve, reject) => {
      const onError = (e: Error): void => reject(e);
      d.once('error', onError);
      d.write(part, () => {
        d.off('error', onError);
        resolve();
      });
    });
  }

  private async endFrame(): Promise<void> {
    const d = this.decoder!;
    this.decoder = null;
    await new Promise<void>((resolve, reject) => {
      d.once('error', reject);
      d.once('end', resolve);
      d.end();
    });
    this.frames++;
  }
}
