import { SnapshotSelector } from '../../lambdas/catalog/catalog';

/** 'latest', an id, or 'latest' with --before <ISO time>. */
export function parseSelector(id: string, before?: string): SnapshotSelector {
  if (before === undefined) return id;
  const when = new Date(before);
  if (Number.isNaN(when.getTime())) throw new Error(`--before takes an ISO time such as 2026-11-25T08:00:00Z, not ${JSON.stringify(before)}`);
  if (id !== 'latest') throw new Error("--before goes with 'latest', not with a snapshot id");
  return { before: when };
}
