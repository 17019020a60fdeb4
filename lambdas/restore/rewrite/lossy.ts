import { jsonBytes } from '../../rdb/export/json-bytes';
import { RestoreError } from '../errors';
import { TargetCapabilities } from '../types';
import { describeTarget } from './capabilities';

/** Key names in messages: JSON text when printable UTF-8, else hex; long names shortened. */
export function keyLabel(key: Buffer): string {
  const j = jsonBytes(key);
  let shown: string;
  if (typeof j === 'string') {
    const chars = [...j];
    shown = JSON.stringify(chars.length > 120 ? `${chars.slice(0, 120).join('')}…` : j);
  } else {
    shown = `0x${key.subarray(0, 60).toString('hex')}${key.length > 60 ? '…' : ''}`;
  }
  return key.length > 120 ? `${shown} (${key.length} bytes)` : shown;
}

/** A key the target cannot hold as it is, whatever --allow-lossy says (module values, streams before 5.0, ...). */
export function unrepresentable(key: Buffer, caps: TargetCapabilities, what: string): RestoreError {
  const label = keyLabel(key);
  return new RestoreError('RESTORE_UNREPRESENTABLE', `Key ${label} cannot be written to the target (${describeTarget(caps)}) as commands: ${what}`, { key: label });
}

/**
 * Features of one key that the target cannot represent. Without --allow-lossy the first
 * one aborts the key with RESTORE_UNREPRESENTABLE; with it, each is dropped and described.
 */
export class LossyLog {
  readonly dropped: string[] = [];

  constructor(
    private readonly key: Buffer,
    private readonly caps: TargetCapabilities,
    private readonly allowLossy: boolean,
  ) {}

  /**
   * `feature`: what would be lost ("field expiry (3 fields)"); `reason`: why the target
   * cannot have it ("HPEXPIREAT needs Redis 7.4+ or Valkey 9.0+").
   */
  drop(feature: string, reason: string): void {
    const label = keyLabel(this.key);
    const target = describeTarget(this.caps);
    if (!this.allowLossy) {
      throw new RestoreError(
        'RESTORE_UNREPRESENTABLE',
        `Key ${label} has ${feature}, which cannot be written to the target (${target}) as commands: ${reason}. Restore with --allow-lossy to write the key without it.`,
        { key: label },
      );
    }
    this.dropped.push(`${feature} of key ${label} (target ${target}: ${reason})`);
  }
}
