/** Pages of snapshots: ?limit= (1-100, default 20) and ?cursor= (opaque: the nextCursor of the page before). */
import { isSnapshotId } from '../../catalog/snapshot-id';
import { badRequest } from '../errors';
import { ApiEvent } from './http';
import { DEFAULT_PAGE, FIELD_HINTS } from './schema';

export interface PageRequest {
  limit: number;
  after?: string;
}

export const encodeCursor = (snapshotId: string): string => Buffer.from(snapshotId, 'utf8').toString('base64url');

export function pageRequest(event: ApiEvent): PageRequest {
  const query = event.queryStringParameters ?? {};
  const limit = query.limit === undefined ? DEFAULT_PAGE : Number(query.limit);
  if (query.cursor === undefined) return { limit };
  const after = Buffer.from(query.cursor, 'base64url').toString('utf8');
  if (!isSnapshotId(after)) throw badRequest(`cursor ${FIELD_HINTS.cursor}`, 'cursor');
  return { limit, after };
}
