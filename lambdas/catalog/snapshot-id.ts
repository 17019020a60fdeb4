import { randomBytes } from 'node:crypto';

const ID = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z-[0-9a-f]{6}$/;

/** A new snapshot id: UTC time to the second, then 6 random hex digits. Ids sort by time. */
export function newSnapshotId(now = new Date()): string {
  const iso = now.toISOString(); // 2026-11-25T08:01:02.123Z
  const stamp = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}

export function isSnapshotId(id: string): boolean {
  return ID.test(id);
}

/** The time encoded in a snapshot id (second resolution). */
export function snapshotIdTime(id: string): Date | null {
  const m = ID.exec(id);
  return m ? new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6])) : null;
}
