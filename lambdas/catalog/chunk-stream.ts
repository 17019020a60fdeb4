import { ZstdFrame } from '../backup/zstd-frame';
import { CatalogError } from './errors';
import { ManifestChunk } from './manifest';

export interface RawPiece {
  /** Index of the chunk the bytes belong to. */
  chunk: number;
  data: Buffer;
}

/**
 * Decompresses a stored snapshot object chunk by chunk: the stored bytes are
 * split at the manifest's frame boundaries and each frame is decoded on its own.
 * `stored` must start at the first listed chunk's stored offset.
 */
export async function* decompressChunks(stored: AsyncIterable<Buffer>, chunks: readonly ManifestChunk[]): AsyncGenerator<RawPiece> {
  let i = 0;
  let pos = chunks.length > 0 ? chunks[0].stored.offset : 0;
  let frame: ZstdFrame | null = null;
  try {
    for await (const buf of stored) {
      let p = 0;
      while (p < buf.length) {
        if (i >= chunks.length) throw new CatalogError('CATALOG_VERIFY_FAILED', `The stored object has bytes after its last chunk (at byte ${pos})`, { chunk: i });
        const c = chunks[i];
        const end = c.stored.offset + c.stored.length;
        const n = Math.min(buf.length - p, end - pos);
        frame ??= ZstdFrame.decompress();
        for (const data of await frame.write(buf.subarray(p, p + n))) yield { chunk: c.index, data };
        p += n;
        pos += n;
        if (pos === end) {
          for (const data of await frame.end()) yield { chunk: c.index, data };
          frame = null;
          i++;
        }
      }
    }
    if (i < chunks.length) throw new CatalogError('CATALOG_VERIFY_FAILED', `The stored object ends inside chunk ${chunks[i].index} (at byte ${pos})`, { chunk: chunks[i].index });
  } finally {
    frame?.destroy();
  }
}
