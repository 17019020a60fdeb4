import { RdbEntry } from '../../rdb/entry';
import { Command, TargetCapabilities } from '../types';

/**
 * RESTORE key ttl payload [ABSTTL] [REPLACE] [IDLETIME s | FREQ f] for one entry, its
 * payload carrying the DUMP footer `footer` (see restoreFooter). Servers before 5.0 have
 * neither ABSTTL nor IDLETIME/FREQ: they get a relative TTL.
 */
export function restoreCommand(entry: RdbEntry, footer: number, caps: TargetCapabilities, replace: boolean, now = Date.now()): Command {
  const modern = caps.version[0] >= 5;
  let ttl = '0';
  if (entry.expireAtMs !== null) ttl = String(modern ? entry.expireAtMs : Math.max(1, entry.expireAtMs - now));
  const args: Command = ['RESTORE', entry.key, ttl, entry.dumpPayload(footer)];
  if (modern && entry.expireAtMs !== null) args.push('ABSTTL');
  if (replace) args.push('REPLACE');
  if (modern && entry.idle !== null) args.push('IDLETIME', String(entry.idle));
  else if (modern && entry.freq !== null) args.push('FREQ', String(entry.freq));
  return args;
}
