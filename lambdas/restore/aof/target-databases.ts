import { RedisEndpoint } from '../../capture/endpoint';
import { connectControl } from '../target-client';

/**
 * The target's number of databases (CONFIG GET databases), or null when it does not
 * say (CONFIG renamed or refused, as on managed services): SELECTs are then checked
 * by their replies only.
 */
export async function targetDatabases(endpoint: RedisEndpoint): Promise<number | null> {
  const control = await connectControl(endpoint);
  try {
    const reply = (await control.call('CONFIG', 'GET', 'databases')) as unknown;
    if (!Array.isArray(reply) || reply.length < 2) return null;
    const n = Number(String(reply[1]));
    return Number.isInteger(n) && n > 0 ? n : null;
  } catch {
    return null;
  } finally {
    control.disconnect();
  }
}
