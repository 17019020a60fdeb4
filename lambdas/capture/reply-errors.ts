import { CaptureError, quote } from './errors';
import { CaptureTarget, contextOf } from './target';

/** Recognising error replies, and the errors they become. */

export const isNoPerm = (text: string): boolean => /^NOPERM\b/i.test(text);
export const isNoAuth = (text: string): boolean => /^NOAUTH\b/i.test(text);
export const isUnknownCommand = (text: string): boolean => /unknown command/i.test(text);
export const isWrongArity = (text: string): boolean => /wrong number of arguments/i.test(text);

/**
 * The smallest ACL a replication capture needs (verified on Redis 7.0 by the capture
 * tests): REPLCONF and PSYNC. AUTH needs no permission; INFO is optional (without it
 * the engine, version and role are not recorded); SYNC only matters for servers
 * without PSYNC (< 2.8). No key or channel permissions are needed.
 */
export const REPLICATION_ACL = '+replconf +psync';

/** An ACL denial of `command` (NOPERM), naming the rule to add. */
export function permissionError(target: CaptureTarget, command: string, reply: string, rule: string): CaptureError {
  const user = target.username ?? 'default';
  return new CaptureError(
    'CAPTURE_NO_PERMISSION',
    `User ${JSON.stringify(user)} may not run ${command} on ${target.endpoint} (${quote(reply)}). ` +
      `Allow it with: ACL SETUSER ${user} ${rule}`,
    contextOf(target, { phase: 'reply', command, reply: quote(reply), aclRule: rule }),
  );
}

/** The server wants a password that was not given. */
export function noAuthError(target: CaptureTarget, command: string, reply: string): CaptureError {
  return new CaptureError(
    'CAPTURE_AUTH_FAILED',
    `${target.endpoint} requires authentication (${quote(reply)}): give the password (and the ACL user name, if not "default") in the source URL or options`,
    contextOf(target, { phase: 'reply', command, reply: quote(reply) }),
  );
}
