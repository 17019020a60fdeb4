/** Retention: which snapshots a policy keeps, and what interrupted backups left behind. Pure planning, no I/O. */
export { RetentionError, type RetentionErrorCode } from './errors';
export {
  type RetentionPolicy,
  type RetentionField,
  validateRetentionPolicy,
  parseRetentionPolicy,
  formatRetentionPolicy,
} from './policy';
export { planRetention, type SnapshotForRetention, type RetentionPlan, type KeptSnapshot, type RemovedSnapshot } from './plan';
export { planOrphanCleanup, type OrphanPlan, type OrphanObject, type ListedObject } from './orphans';
export { isoWeek, hourPeriod, dayPeriod, weekPeriod, monthPeriod, yearPeriod } from './periods';
