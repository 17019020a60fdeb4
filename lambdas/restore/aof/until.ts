import { AofRestoreError } from './errors';
import { AofSource } from './source';
import { StagedFile } from './stage';

/** The --until checks: a time to stop at, annotations to find it by, a base not newer than it. */

const badRequest = (message: string): AofRestoreError => new AofRestoreError('AOF_RESTORE_BAD_REQUEST', message);
export const iso = (seconds: number): string => new Date(seconds * 1000).toISOString();

export function checkUntil(request: { until?: Date; untilWithoutTimestamps?: boolean; source: AofSource }): void {
  const { until, source } = request;
  if (until !== undefined && Number.isNaN(until.getTime())) throw badRequest('--until takes an ISO time such as 2026-11-25T10:00:00Z');
  if (until !== undefined && source.hasTimestamps === false && request.untilWithoutTimestamps !== true) throw noTimestamps(source);
}

export function noTimestamps(source: AofSource): AofRestoreError {
  return new AofRestoreError(
    'AOF_RESTORE_NO_TIMESTAMPS',
    `The AOF of ${source.description} has no #TS: annotations (the server ran without aof-timestamp-enabled yes), so --until has nowhere to stop. Nothing was written. Restore without --until, or accept replaying everything with --until-without-timestamps`,
  );
}

/** The base must not be newer than the --until time: the restore cannot go back before it. */
export function checkBaseAge(staged: StagedFile, until: Date | undefined): void {
  if (until === undefined || staged.file.type === 'incr') return;
  const ctime = staged.rdbCtime;
  const stopInBase = staged.file.type === 'base' && staged.stopAt !== null;
  if ((ctime !== null && ctime > until.getTime() / 1000) || stopInBase) {
    const when = ctime !== null ? iso(ctime) : iso(staged.stopAt!.seconds);
    throw badRequest(`The AOF's base ${staged.file.name} was written at ${when}, after --until ${until.toISOString()}: this AOF cannot go back that far. Nothing was written; restore an older snapshot`);
  }
}
