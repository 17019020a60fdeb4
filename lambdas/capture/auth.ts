import { RespConnection } from './connection';
import { RedisEndpoint } from './endpoint';
import { CaptureError, quote } from './errors';
import { replyText } from './resp';
import { contextOf } from './target';

/** Sends AUTH when the endpoint has credentials (ACL user + password, or the password alone). */
export async function authenticate(conn: RespConnection, endpoint: RedisEndpoint): Promise<void> {
  if (endpoint.password === undefined) return;
  const args = endpoint.username !== undefined ? ['AUTH', endpoint.username, endpoint.password] : ['AUTH', endpoint.password];
  const reply = await conn.command(args);
  if (reply.type === 'simple') return;
  const text = replyText(reply);
  const target = conn.target;
  let advice: string;
  if (/without any password configured/i.test(text)) {
    advice = 'the server has no password: remove it from the source URL (or set requirepass on the server)';
  } else if (endpoint.username !== undefined && /wrong number of arguments/i.test(text)) {
    advice = 'the server predates ACL users (Redis < 6): give only the password';
  } else if (endpoint.username !== undefined) {
    advice = `check the password of user ${JSON.stringify(endpoint.username)} and that the user exists and is "on" (ACL LIST)`;
  } else {
    advice = 'check the password (requirepass, or the "default" user\'s password); give the user name too for another ACL user';
  }
  throw new CaptureError(
    'CAPTURE_AUTH_FAILED',
    `Authentication to ${target.endpoint} failed (${quote(text)}): ${advice}`,
    contextOf(target, { phase: 'reply', command: 'AUTH', reply: quote(text) }),
  );
}
