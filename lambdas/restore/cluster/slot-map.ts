import Redis from 'ioredis';
import { RedisEndpoint } from '../../capture/endpoint';
import { RestoreError } from '../errors';
import { SLOT_COUNT } from './slot';

/** A primary's address as the cluster announces it. */
export interface NodeAddress {
  host: string;
  port: number;
}

/** A range of slots and the primary serving it. */
export interface SlotRange extends NodeAddress {
  start: number;
  end: number;
  /** The node id (empty when the server does not report it). */
  id: string;
}

/** A redirection reply: -MOVED (the slot has a new owner) or -ASK (this key is being migrated). */
export interface Redirect extends NodeAddress {
  kind: 'MOVED' | 'ASK';
  slot: number;
}

/** "host:port", the key under which a node's connection is kept. */
export function nodeKey(a: NodeAddress): string {
  return `${a.host}:${a.port}`;
}

/** An announced host that is no address ('' or '?': unknown endpoint) means "the host you asked". */
function hostOr(host: string, fallbackHost: string): string {
  return host === '' || host === '?' ? fallbackHost : host;
}

/** Parses "MOVED 3999 127.0.0.1:6381" / "ASK 3999 [::1]:6381" / "MOVED 3999 :6381"; null for any other error. */
export function parseRedirect(message: string, fallbackHost: string): Redirect | null {
  const m = /^(MOVED|ASK) (\d+) (.*):(\d+)$/.exec(message.trim());
  if (m === null) return null;
  return { kind: m[1] as 'MOVED' | 'ASK', slot: Number(m[2]), host: hostOr(m[3].replace(/^\[(.*)\]$/, '$1'), fallbackHost), port: Number(m[4]) };
}

function text(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (Buffer.isBuffer(v)) return v.toString('utf8');
  return null;
}

function integer(v: unknown): number | null {
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
  return Number.isInteger(n) ? n : null;
}

/**
 * The primaries of a CLUSTER SLOTS reply: [[start, end, [host, port, id, ...], replicas...], ...].
 * An unknown announced host is replaced by `fallbackHost` (the host the reply came from).
 */
export function parseClusterSlots(reply: unknown, fallbackHost: string): SlotRange[] {
  if (!Array.isArray(reply)) throw new Error('CLUSTER SLOTS did not return an array');
  return reply.map((range: unknown): SlotRange => {
    if (!Array.isArray(range) || range.length < 3 || !Array.isArray(range[2])) throw new Error(`Unexpected CLUSTER SLOTS entry ${JSON.stringify(range)}`);
    const [startV, endV, primary] = range as [unknown, unknown, unknown[]];
    const start = integer(startV);
    const end = integer(endV);
    const host = text(primary[0]);
    const port = integer(primary[1]);
    if (start === null || end === null || host === null || port === null || start < 0 || end >= SLOT_COUNT || start > end) {
      throw new Error(`Unexpected CLUSTER SLOTS entry ${JSON.stringify(range)}`);
    }
    return { start, end, host: hostOr(host, fallbackHost), port, id: text(primary[2]) ?? '' };
  });
}

/** Asks a node for the slot map (CLUSTER SLOTS, which every cluster version from 3.0 on and Valkey answer). */
export async function readSlotRanges(client: Redis, askedHost: string, target: string): Promise<SlotRange[]> {
  let reply: unknown;
  try {
    reply = await client.call('CLUSTER', 'SLOTS');
  } catch (e) {
    const message = (e as Error).message;
    if (/cluster support disabled/i.test(message)) {
      throw new RestoreError('RESTORE_BAD_REQUEST', `The restore target ${target} is not a Redis Cluster (cluster support is disabled): restore into it as a standalone server`, { target }, { cause: e });
    }
    throw new RestoreError('RESTORE_TARGET_REFUSED', `The restore target ${target} refused CLUSTER SLOTS: ${message}`, { target }, { cause: e });
  }
  return parseClusterSlots(reply, askedHost);
}

/**
 * The endpoint to reach a node at `address`: a configured endpoint for that exact
 * address if there is one, else the seed's credentials and TLS settings (the SNI name
 * follows the node's host unless one fixed name was configured for the whole cluster).
 */
export function endpointFor(address: NodeAddress, configured: RedisEndpoint[], seed: RedisEndpoint): RedisEndpoint {
  const known = configured.find((e) => e.host === address.host && e.port === address.port);
  if (known !== undefined) return known;
  const endpoint: RedisEndpoint = { ...seed, host: address.host, port: address.port };
  if (seed.tls !== undefined) {
    const fixedName = seed.tls.servername !== undefined && seed.tls.servername !== seed.host;
    endpoint.tls = { ...seed.tls, servername: fixedName ? seed.tls.servername : address.host };
  }
  return endpoint;
}

/** Which node serves each of the 16384 slots (by node key), learned from CLUSTER SLOTS and -MOVED replies. */
export class SlotMap {
  private readonly owners: Array<string | null> = new Array<string | null>(SLOT_COUNT).fill(null);
  private readonly addresses = new Map<string, NodeAddress>();

  constructor(ranges: SlotRange[] = []) {
    this.apply(ranges);
  }

  /** Sets the owners of the slots the ranges list (other slots keep the owner they had). */
  apply(ranges: SlotRange[]): void {
    for (const r of ranges) {
      const key = this.remember(r);
      for (let s = r.start; s <= r.end; s++) this.owners[s] = key;
    }
  }

  /** Records one slot's new owner; true when it differs from the one known. */
  move(slot: number, to: NodeAddress): boolean {
    const key = this.remember(to);
    const changed = this.owners[slot] !== key;
    this.owners[slot] = key;
    return changed;
  }

  /** The node key serving `slot`, or null when no node serves it. */
  owner(slot: number): string | null {
    return this.owners[slot] ?? null;
  }

  address(key: string): NodeAddress | undefined {
    return this.addresses.get(key);
  }

  /** Node keys that serve at least one slot. */
  primaries(): string[] {
    return [...new Set(this.owners.filter((o): o is string => o !== null))];
  }

  /** Slots no node serves. */
  get unserved(): number {
    return this.owners.reduce((n, o) => (o === null ? n + 1 : n), 0);
  }

  private remember(a: NodeAddress): string {
    const key = nodeKey(a);
    if (!this.addresses.has(key)) this.addresses.set(key, { host: a.host, port: a.port });
    return key;
  }
}
