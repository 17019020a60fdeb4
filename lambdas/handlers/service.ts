import { openStore } from '../store/open-store';
import { SnapshotStore } from '../store/store';
import { loadRuntimeConfig, once, RuntimeConfig } from './runtime';

/** What every handler works with: the checked configuration and the snapshot store. */
export interface Service {
  config: RuntimeConfig;
  store: SnapshotStore;
}

/** Gives the service; called per invocation, so the default builds it once per container. */
export type ServiceProvider = () => Service;

/** The service from the environment (ENV in runtime.ts), built on first use. */
export const serviceFromEnv: ServiceProvider = once(() => {
  const config = loadRuntimeConfig();
  return { config, store: openStore(config.store) };
});
