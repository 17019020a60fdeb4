import { SingleBar, Presets } from 'cli-progress';
import { formatBytes } from './output';

export interface Progress {
  update(rawBytes: number, keys: number, storedBytes?: number): void;
  stop(): void;
}

/** A progress bar on standard error when it is a terminal (and output is not JSON); silent otherwise. */
export function progressBar(enabled: boolean, totalBytes?: number): Progress {
  if (!enabled || !process.stderr.isTTY) return { update: () => undefined, stop: () => undefined };
  const started = Date.now();
  const bar = new SingleBar(
    {
      stream: process.stderr,
      format: totalBytes ? ' {bar} {percentage}% | {done} | {rate}/s | {keys} keys | stored {stored}' : ' {done} | {rate}/s | {keys} keys | stored {stored}',
      hideCursor: true,
      clearOnComplete: true,
    },
    Presets.shades_classic,
  );
  bar.start(totalBytes ?? 1, 0, { done: '0 B', rate: '0 B', keys: 0, stored: '0 B' });
  return {
    update(rawBytes, keys, storedBytes = 0) {
      const seconds = Math.max(0.001, (Date.now() - started) / 1000);
      bar.update(totalBytes ? Math.min(rawBytes, totalBytes) : 0, {
        done: formatBytes(rawBytes),
        rate: formatBytes(Math.round(rawBytes / seconds)),
        keys,
        stored: formatBytes(storedBytes),
      });
    },
    stop() {
      bar.stop();
    },
  };
}
