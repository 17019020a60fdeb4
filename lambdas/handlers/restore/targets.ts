/** Restore targets: a request's source, target and mode checked against the configuration, and the target reached. */
import { join } from 'node:path';
import type { Context } from 'aws-lambda';
import { RestoreMode, RestoreRequestOptions, RuntimeSource, RuntimeTarget } from '../../../lib/config/runtime-config';
import { describeEndpoint, RedisEndpoint } from '../../capture/endpoint';
import { RestoreError } from '../../restore/errors';
import { LoadTarget, openClusterTarget, openServerTarget } from '../../restore/load-target';
import { RestoreOptionNames } from '../../restore/pre-checks';
import { LoadRestoreOptions } from '../../restore/restore';
import { badRequest, RequestError, unknownSource, unknownTarget } from '../errors';
import { findSource, findTarget, RuntimeConfig } from '../runtime';
import { endpointSecret, endpointWith } from '../secrets';

export interface ResolvedRestore {
  source: RuntimeSource;
  target: RuntimeTarget;
  mode: RestoreMode;
}

/** Options that only apply when keys are loaded into a server or a cluster. */
export const LOAD_ONLY_OPTIONS: ReadonlyArray<keyof RestoreRequestOptions> = ['flush', 'replace', 'allowLossy', 'dbs', 'dbMap', 'match', 'types', 'sampleKeys', 'dryRun', 'repoint', 'until'];

/**
 * Checks that a request names a configured source and a configured target, in
 * the target's mode, with options the target allows. Throws RequestError.
 */
export function resolveRestore(config: RuntimeConfig, request: { source: string; target: string; mode?: RestoreMode; options?: RestoreRequestOptions }): ResolvedRestore {
  const source = findSource(config, request.source);
  if (source === undefined) throw unknownSource(request.source);
  const target = findTarget(config, request.target);
  if (target === undefined) throw unknownTarget(request.target);
  if (target.sources !== undefined && !target.sources.includes(source.name)) {
    throw new RequestError(400, 'TARGET_NOT_ALLOWED', `The target ${target.name} does not take restores of ${source.name} (it takes ${target.sources.join(', ') || 'none'})`, 'target');
  }
  const mode = request.mode ?? target.mode;
  if (mode !== target.mode) throw new RequestError(400, 'TARGET_NOT_ALLOWED', `The target ${target.name} is a ${target.kind}: it takes ${target.mode} restores, not ${mode}`, 'mode');
  const options = request.options ?? {};
  if (mode === 'file') {
    const loadOnly = LOAD_ONLY_OPTIONS.find((o) => options[o] !== undefined);
    if (loadOnly !== undefined) throw badRequest(`options.${loadOnly} applies to restores into a server or a cluster, not to file restores`, `options.${loadOnly}`);
  }
  if (options.flush === true && !target.allowFlush) {
    throw new RequestError(400, 'TARGET_NOT_ALLOWED', `The target ${target.name} is not configured to allow flush (allowFlush); use options.replace, or restore into an empty target`, 'options.flush');
  }
  if (options.repoint === true) {
    if (target.kind !== 'server' || target.replicas.length === 0) throw badRequest(`The target ${target.name} has no replicas configured to repoint`, 'options.repoint');
    if (options.dryRun === true) throw badRequest('A dry run writes nothing: there is nothing to repoint replicas to', 'options.repoint');
  }
  return { source, target, mode };
}

/** The target without secrets: redis://host:port, cluster://host:port, or the RDB file's path. */
export function describeTarget(target: RuntimeTarget): string {
  if (target.kind === 'directory') return join(target.dataDir ?? '', target.dbfilename);
  if (target.endpoint === null) return target.name;
  const address = describeEndpoint({ host: target.endpoint.host, port: target.endpoint.port, tls: target.endpoint.tls ?? undefined });
  return target.kind === 'cluster' ? address.replace(/^rediss?:/, 'cluster:') : address;
}

/** A server or cluster target's endpoint (a cluster's: the seed node), with its credentials. */
export function targetEndpoint(target: RuntimeTarget, context: Context): RedisEndpoint {
  if (target.endpoint === null) throw new RestoreError('RESTORE_BAD_REQUEST', `The target ${target.name} has no endpoint`);
  return endpointWith(target.endpoint, endpointSecret(context, target.endpoint.secretArn));
}

/** What restoreIntoServer takes: the server, or the cluster's seed node and the cluster. */
export function engineTarget(target: RuntimeTarget, context: Context): { target: RedisEndpoint; cluster?: RedisEndpoint[] } {
  const endpoint = targetEndpoint(target, context);
  return target.kind === 'cluster' ? { target: endpoint, cluster: [endpoint] } : { target: endpoint };
}

/** The engine's view of a running target (a server, or a cluster's primaries): key counts, flush. */
export function openTarget(target: RuntimeTarget, context: Context): Promise<LoadTarget> {
  const endpoint = targetEndpoint(target, context);
  return target.kind === 'cluster' ? openClusterTarget([endpoint]) : openServerTarget(endpoint);
}

/** The target's replicas, with the target's TLS settings and secret. */
export function replicaEndpoints(target: RuntimeTarget, context: Context): RedisEndpoint[] {
  if (target.endpoint === null) return [];
  const { tls, secretArn } = target.endpoint;
  const secret = endpointSecret(context, secretArn);
  return target.replicas.map((r) => endpointWith({ host: r.host, port: r.port, tls }, secret));
}

/** The engine's options for a load or cluster restore. */
export function loadOptions(options: RestoreRequestOptions): LoadRestoreOptions {
  const dbMap = options.dbMap === undefined ? undefined : Object.fromEntries(Object.entries(options.dbMap).map(([from, to]) => [Number(from), to]));
  return {
    flush: options.flush,
    replace: options.replace,
    dbs: options.dbs,
    dbMap,
    match: options.match,
    types: options.types,
    allowLossy: options.allowLossy,
    sampleKeys: options.sampleKeys,
  };
}

/** The API's names for the options a restore pre-check (lambdas/restore/pre-checks) suggests. */
export const API_OPTION_NAMES: RestoreOptionNames = {
  flush: 'options.flush (where the target allows it)',
  replace: 'options.replace',
  dbs: 'options.dbs',
  dbMap: (from, to) => `options.dbMap {"${from}": ${to}}`,
};
