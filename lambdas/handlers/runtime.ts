/**
 * The runtime configuration as the handlers hold it: the store URL, the sources
 * and the restore targets, read from the environment the CDK stack sets
 * (lib/config/function-env.ts, lib/config/runtime-config.ts: the contract).
 */
import { ENV } from '../../lib/config/function-env';
import { findSource as sourceIn, findTarget as targetIn, readSources, readStoreUrl, readTargets, RuntimeSource, RuntimeTarget } from '../../lib/config/runtime-config';

export { ENV };

export interface RuntimeConfig {
  store: string;
  sources: RuntimeSource[];
  /** Empty for the functions that get no REDIS_BACKUP_TARGETS (backup, prune, freshness). */
  targets: RuntimeTarget[];
}

export function loadRuntimeConfig(env: NodeJS.ProcessEnv = process.env): RuntimeConfig {
  return { store: readStoreUrl(env), sources: readSources(env), targets: env[ENV.targets] === undefined ? [] : readTargets(env) };
}

export function findSource(config: RuntimeConfig, name: string): RuntimeSource | undefined {
  return sourceIn(config.sources, name);
}

export function findTarget(config: RuntimeConfig, name: string): RuntimeTarget | undefined {
  return targetIn(config.targets, name);
}

/** A value computed on first use and kept for the life of the container. */
export function once<T>(make: () => T): () => T {
  let made: { value: T } | null = null;
  return () => {
    made ??= { value: make() };
    return made.value;
  };
}
