import { TargetCapabilities } from '../types';
import { BatchLimits } from './batch';
import { LossyLog } from './lossy';

/** What every per-type writer needs to know about the key it rebuilds and the target. */
export interface RewriteContext {
  key: Buffer;
  caps: TargetCapabilities;
  lossy: LossyLog;
  /** Per-command item and byte bounds of variadic commands. */
  limits: BatchLimits;
}
