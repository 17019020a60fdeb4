import { hostname } from 'node:os';
import { CatalogError } from '../catalog/errors';
import { StoreError } from '../store/errors';
import { isValidSourceName } from '../store/layout';
import { acquireLock } from '../store/lock';
import { SnapshotStore } from '../store/store';

/**
 * Checks the source name, then runs `work` under the per-source lock (every RDB and AOF backup does): the lock is refreshed
 * every third of its TTL; losing it to another run aborts `work`'s signal and the
 * run fails with the STORE_LOCKED error. The lock is released whatever happens.
 */
export async function withSourceLock<T>(
  store: SnapshotStore,
  source: string,
  options: { ttlMs: number; signal?: AbortSignal },
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  if (!isValidSourceName(source)) {
    throw new CatalogError('CATALOG_BAD_SOURCE', `Invalid source name ${JSON.stringify(source)}: use letters, digits, '.', '_' and '-' (at most 128)`, { source });
  }
  const { ttlMs } = options;
  const lock = await acquireLock(store, source, { owner: `redis-backup@${hostname()}:${process.pid}`, ttlMs });
  const controller = new AbortController();
  const onCallerAbort = (): void => controller.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onCallerAbort, { once: true });
  if (options.signal?.aborted) onCallerAbort();
  let lockLost: unknown = null;
  const refresher = setInterval(() => {
    lock.refresh().catch((e: unknown) => {
      // A transient store error is retried at the next tick; a lock taken over by another run is fatal.
      if (e instanceof StoreError && e.code === 'STORE_LOCKED') {
        lockLost = e;
        controller.abort(e);
      }
    });
  }, Math.max(1000, Math.floor(ttlMs / 3)));
  refresher.unref();
  try {
    return await work(controller.signal);
  } catch (e) {
    throw lockLost ?? e;
  } finally {
    clearInterval(refresher);
    options.signal?.removeEventListener('abort', onCallerAbort);
    await lock.release().catch(() => undefined);
  }
}
