import Redis from 'ioredis';
import { describeEndpoint, RedisEndpoint } from '../../capture/endpoint';
import { encodeCommand } from '../../capture/resp';
import { RestoreError } from '../errors';
import { RespPipeline } from '../resp-pipeline';
import { rdbVersionFromRestoreError, restoreFooter, rewriteEntry } from '../rewrite';
import { connectControl } from '../target-client';
import { Command, KeyJob, KeyWriterOptions, TargetCapabilities, TargetWriter, WriteStats } from '../types';
import { openNodePipeline } from './node-pipeline';
import { restoreCommand } from './restore-command';
import { endpointFor, NodeAddress, nodeKey, parseRedirect, readSlotRanges, SlotMap } from './slot-map';
import { keySlot } from './slot';

/** maxInFlightBytes is per node (default 16 MiB). */
export interface ClusterWriterOptions extends KeyWriterOptions {
  /** -MOVED / -ASK replies followed for one key before it counts as failed (default 16). */
  maxRedirects?: number;
  /** -TRYAGAIN / -CLUSTERDOWN / -LOADING replies waited out for one key (default 8, backing off up to 2 s). */
  maxRetries?: number;
}

/** How often the cluster sent keys elsewhere while they were written. */
export interface RedirectStats {
  moved: number;
  ask: number;
  /** Writes sent again after -TRYAGAIN, -CLUSTERDOWN or -LOADING. */
  retried: number;
  /** Slot map reloads (CLUSTER SLOTS) after -MOVED. */
  slotMapRefreshes: number;
}

/** One key's write: its encoded commands, which go together to the node serving its slot. */
interface Write {
  job: KeyJob;
  slot: number;
  commands: Buffer[];
  rewritten: boolean;
  /** DUMP footer version of the RESTORE payload (0 for rewritten keys). */
  footer: number;
  redirects: number;
  retries: number;
}

interface Node {
  key: string;
  endpoint: RedisEndpoint;
  pipe: RespPipeline | null;
  opening: Promise<RespPipeline> | null;
  /** Why connecting failed: later keys for the node fail at once instead of each waiting for a connect timeout. */
  failure: Error | null;
}

const TRANSIENT = /^(TRYAGAIN|CLUSTERDOWN|LOADING)\b/;
const ASKING = encodeCommand(['ASKING']);

/**
 * Loads keys into a Redis Cluster: each key goes, by its hash slot, to the primary
 * serving it, over one pipelined connection per primary (all primaries written in
 * parallel, bytes in flight bounded per node). -MOVED updates the slot map (and
 * reloads it) and sends the key to its new owner; -ASK sends ASKING and the key to
 * the importing node. A cluster has only database 0: keys for any other are refused.
 */
export class ClusterWriter implements TargetWriter {
  private readonly s: WriteStats = { restored: 0, rewritten: 0, failed: 0, lossy: [], errors: [] };
  private readonly r: RedirectStats = { moved: 0, ask: 0, retried: 0, slotMapRefreshes: 0 };
  private readonly nodes = new Map<string, Node>();
  /** Connects, delayed retries and slot map reloads under way (drain waits for them). */
  private readonly background = new Set<Promise<void>>();
  private readonly timers = new Set<NodeJS.Timeout>();
  /** Keys added and neither acknowledged nor failed yet. */
  private outstanding = 0;
  private refreshing: Promise<void> | null = null;
  private refreshAgain = false;
  /** Slots moved by -MOVED while a reload is under way: the reload's answer may predate them. */
  private movedDuringRefresh: Array<[number, NodeAddress]> | null = null;
  /** Pipelines holding commands sent from reply callbacks or timers, flushed together on the next turn. */
  private readonly unflushed = new Set<RespPipeline>();
  private flushScheduled = false;
  private closed = false;

  private constructor(
    private readonly map: SlotMap,
    private readonly control: Redis,
    private readonly seed: RedisEndpoint,
    private readonly configured: RedisEndpoint[],
    private readonly caps: TargetCapabilities,
    private readonly options: ClusterWriterOptions,
    /** The cluster as named in messages. */
    readonly target: string,
  ) {}

  /**
   * Reads the slot map through the first reachable node of `nodes` (CLUSTER SLOTS) and
   * connects to every primary; nodes not listed in `nodes` get the credentials and
   * TLS settings of the node the map came from.
   */
  static async open(nodes: RedisEndpoint[], caps: TargetCapabilities, options: ClusterWriterOptions): Promise<ClusterWriter> {
    if (nodes.length === 0) throw new RestoreError('RESTORE_BAD_REQUEST', 'No cluster node given to restore into');
    const target = nodes.map(describeEndpoint).join(',');
    const timeout = options.connectTimeoutMs ?? 10_000;
    let control: Redis | null = null;
    let seed: RedisEndpoint = nodes[0];
    let firstError: unknown = null;
    for (const node of nodes) {
      try {
        control = await connectControl(node, timeout);
        seed = node;
        break;
      } catch (e) {
        if (e instanceof RestoreError && e.code === 'RESTORE_TARGET_AUTH') throw e;
        firstError ??= e;
      }
    }
    if (control === null) {
      throw new RestoreError('RESTORE_TARGET_UNREACHABLE', `No node of the restore cluster ${target} answered: ${(firstError as Error).message}`, { target }, { cause: firstError });
    }
    let writer: ClusterWriter | null = null;
    try {
      const map = new SlotMap(await readSlotRanges(control, seed.host, describeEndpoint(seed)));
      if (map.unserved > 0) {
        throw new RestoreError(
          'RESTORE_TARGET_REFUSED',
          `The restore cluster ${target} does not serve ${map.unserved} of its 16384 hash slots: fix the cluster first (every slot assigned, cluster_state:ok)`,
          { target },
        );
      }
      writer = new ClusterWriter(map, control, seed, nodes, { ...caps }, options, target);
      const w = writer;
      await Promise.all(map.primaries().map((key) => w.connect(w.node(key))));
      return writer;
    } catch (e) {
      if (writer !== null) await writer.close();
      else control.disconnect();
      throw e;
    }
  }

  stats(): WriteStats {
    return this.s;
  }

  /** -MOVED / -ASK / retry counts. */
  get redirections(): RedirectStats {
    return this.r;
  }

  /** Highest DUMP footer (RDB version) the cluster's RESTORE takes, as learned so far (lowered by refused payloads). */
  get rdbVersion(): number {
    return this.caps.rdbVersion;
  }

  /** The primaries keys are written to ("host:port"), as the slot map knows them now. */
  get primaries(): string[] {
    return this.map.primaries();
  }

  /** Sends a keyless command (FUNCTION LOAD ...) to every primary; an error is reported through `onError`, prefixed with the node. */
  command(args: Command, onError: (message: string) => void): void | Promise<void> {
    const cmd = encodeCommand(args);
    let waiting: void | Promise<void> = undefined;
    for (const key of this.map.primaries()) {
      const node = this.node(key);
      const tag = { size: cmd.length, onError: (m: string) => onError(`${key}: ${m}`) };
      if (node.pipe !== null) {
        waiting = node.pipe.send(cmd, tag) ?? waiting;
      } else {
        waiting = this.track(
          this.connect(node).then(
            (pipe) => {
              this.flushSoon(pipe);
              return pipe.send(cmd, tag) ?? undefined;
            },
            (e: Error) => onError(`${key}: ${e.message}`),
          ),
        );
      }
    }
    return waiting;
  }

  add(job: KeyJob): void | Promise<void> {
    if (job.db !== 0) {
      const key = job.entry.key.toString('utf8');
      throw new RestoreError(
        'RESTORE_BAD_REQUEST',
        `Key ${JSON.stringify(key)} is for database ${job.db}, but a Redis Cluster has only database 0: restore only database 0, or map database ${job.db} to 0`,
        { key, target: this.target },
      );
    }
    const write = this.prepare(job);
    this.outstanding++;
    try {
      return this.dispatch(write, this.map.owner(write.slot), false);
    } catch (e) {
      this.outstanding--;
      throw new RestoreError('RESTORE_WRITE_FAILED', `Writing to the cluster ${this.target} failed: ${(e as Error).message}`, { target: this.target }, { cause: e });
    }
  }

  /**
   * The commands that write a key: RESTORE with the DUMP footer the cluster reads, or
   * ordinary commands (another engine, or a type newer than the cluster) — all for one
   * key, so all for one slot. Throws RESTORE_UNREPRESENTABLE for what no command rebuilds.
   */
  private prepare(job: KeyJob): Write {
    const { entry } = job;
    const slot = keySlot(entry.key);
    const footer = this.options.sourceEngine === this.caps.engine ? restoreFooter(this.caps, entry) : null;
    if (footer !== null) {
      const cmd = encodeCommand(restoreCommand(entry, footer, this.caps, this.options.replace));
      return { job, slot, commands: [cmd], rewritten: false, footer, redirects: 0, retries: 0 };
    }
    const { commands, lossy } = rewriteEntry(entry.key, entry.value(), entry.expireAtMs, this.caps, {
      allowLossy: this.options.allowLossy,
      replace: this.options.replace,
    });
    this.s.lossy.push(...lossy);
    return { job, slot, commands: commands.map((c) => encodeCommand(c)), rewritten: true, footer: 0, redirects: 0, retries: 0 };
  }

  private node(key: string): Node {
    let node = this.nodes.get(key);
    if (node === undefined) {
      const address = this.map.address(key) ?? parseAddress(key);
      node = { key, endpoint: endpointFor(address, this.configured, this.seed), pipe: null, opening: null, failure: null };
      this.nodes.set(key, node);
    }
    return node;
  }

  private connect(node: Node): Promise<RespPipeline> {
    if (node.pipe !== null) return Promise.resolve(node.pipe);
    if (node.failure !== null) return Promise.reject(node.failure);
    if (node.opening === null) {
      node.opening = openNodePipeline(node.endpoint, this.options.maxInFlightBytes ?? 16 << 20, this.options.connectTimeoutMs ?? 10_000).then(
        (pipe) => {
          node.opening = null;
          if (this.closed) pipe.close();
          else node.pipe = pipe;
          return pipe;
        },
        (e: Error) => {
          node.opening = null;
          node.failure = e;
          throw e;
        },
      );
    }
    return node.opening;
  }

  /** Sends a write to the node `key` (connecting first if needed); ASKING before each command after -ASK. */
  private dispatch(w: Write, key: string | null, asking: boolean): void | Promise<void> {
    if (key === null) {
      this.fail(w, `CLUSTERDOWN Hash slot ${w.slot} is not served by any node`);
      return undefined;
    }
    const node = this.node(key);
    if (node.pipe !== null) return this.send(w, node, node.pipe, asking);
    return this.track(
      this.connect(node).then(
        (pipe) => {
          try {
            this.flushSoon(pipe);
            return this.send(w, node, pipe, asking) ?? undefined;
          } catch (e) {
            this.fail(w, `${key}: ${(e as Error).message}`);
            return undefined;
          }
        },
        (e: Error) => this.fail(w, e.message),
      ),
    );
  }

  private send(w: Write, node: Node, pipe: RespPipeline, asking: boolean): void | Promise<void> {
    let settled = false;
    let waiting: void | Promise<void> = undefined;
    const last = w.commands.length - 1;
    w.commands.forEach((cmd, i) => {
      if (asking) waiting = pipe.send(ASKING, { size: ASKING.length }) ?? waiting;
      waiting =
        pipe.send(cmd, {
          size: cmd.length,
          onError: (m) => {
            // Only the first error of this attempt counts: the rest of the key's commands fail alike.
            if (settled) return;
            settled = true;
            this.onError(w, node, m);
          },
          onReply:
            i === last
              ? () => {
                  if (settled) return;
                  settled = true;
                  this.done(w);
                }
              : undefined,
        }) ?? waiting;
    });
    return waiting;
  }

  private onError(w: Write, node: Node, message: string): void {
    const redirect = parseRedirect(message, node.endpoint.host);
    if (redirect !== null) {
      if (++w.redirects > (this.options.maxRedirects ?? 16)) {
        this.fail(w, `${message} (gave up after ${w.redirects - 1} redirections)`);
        return;
      }
      if (redirect.kind === 'MOVED') {
        this.r.moved++;
        this.movedDuringRefresh?.push([redirect.slot, redirect]);
        if (this.map.move(redirect.slot, redirect)) this.refreshSlots();
      } else {
        this.r.ask++;
      }
      this.resend(w, nodeKey(redirect), redirect.kind === 'ASK');
      return;
    }
    if (TRANSIENT.test(message) && w.retries < (this.options.maxRetries ?? 8)) {
      w.retries++;
      this.r.retried++;
      const delay = Math.min(2000, 50 << w.retries);
      this.track(
        new Promise<void>((resolve) => {
          const t = setTimeout(() => {
            this.timers.delete(t);
            if (!this.closed) this.resend(w, this.map.owner(w.slot), false);
            resolve();
          }, delay);
          this.timers.add(t);
        }),
      );
      return;
    }
    const lower = w.rewritten ? null : rdbVersionFromRestoreError(message, w.footer);
    if (lower !== null) {
      // The cluster reads fewer RDB versions than its INFO suggested: learn it, and write this key
      // again (keys sent with the refused footer before the first refusal came back get here too).
      this.caps.rdbVersion = Math.min(this.caps.rdbVersion, lower);
      let again: Write;
      try {
        again = { ...this.prepare(w.job), redirects: w.redirects, retries: w.retries };
      } catch (e) {
        this.fail(w, (e as Error).message);
        return;
      }
      this.resend(again, this.map.owner(again.slot), false);
      return;
    }
    this.fail(w, message);
  }

  private resend(w: Write, key: string | null, asking: boolean): void {
    try {
      // Resends ignore back-pressure: they replace commands whose bytes were just acknowledged.
      void this.dispatch(w, key, asking);
      const pipe = key === null ? null : (this.nodes.get(key)?.pipe ?? null);
      if (pipe !== null) this.flushSoon(pipe);
    } catch (e) {
      this.fail(w, `${key}: ${(e as Error).message}`);
    }
  }

  /**
   * A pipeline sends its batch only when it is full or drained: commands queued from a
   * reply callback or a timer, after the caller's drain began, would otherwise wait forever.
   */
  private flushSoon(pipe: RespPipeline): void {
    this.unflushed.add(pipe);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      for (const p of this.unflushed) p.flush();
      this.unflushed.clear();
    });
  }

  /** Reloads the slot map (one reload at a time; one more if -MOVED arrives meanwhile). */
  private refreshSlots(): void {
    if (this.closed) return;
    if (this.refreshing !== null) {
      this.refreshAgain = true;
      return;
    }
    this.refreshAgain = false;
    const moved: Array<[number, NodeAddress]> = [];
    this.movedDuringRefresh = moved;
    this.r.slotMapRefreshes++;
    this.refreshing = this.track(
      readSlotRanges(this.control, this.seed.host, this.target)
        .then((ranges) => {
          this.map.apply(ranges);
          for (const [slot, to] of moved) this.map.move(slot, to);
        })
        .finally(() => {
          this.refreshing = null;
          this.movedDuringRefresh = null;
          if (this.refreshAgain) this.refreshSlots();
        }),
    );
  }

  /** Keeps `p` until it settles (never rejecting), so that drain waits for it. */
  private track(p: Promise<unknown>): Promise<void> {
    const t: Promise<void> = p.then(
      () => undefined,
      () => undefined,
    );
    this.background.add(t);
    void t.then(() => this.background.delete(t));
    return t;
  }

  private done(w: Write): void {
    this.outstanding--;
    if (w.rewritten) this.s.rewritten++;
    else this.s.restored++;
  }

  private fail(w: Write, message: string): void {
    this.outstanding--;
    this.s.failed++;
    if (this.s.errors.length < (this.options.maxErrorDetails ?? 100)) {
      this.s.errors.push({ db: w.job.db, key: w.job.entry.key.toString('utf8'), error: message });
    }
  }

  /** Waits until every key added is acknowledged or has failed, following redirections as they come. */
  async drain(): Promise<void> {
    for (;;) {
      const connected = [...this.nodes.values()].filter((n): n is Node & { pipe: RespPipeline } => n.pipe !== null);
      await Promise.all([
        ...connected.map((n) =>
          n.pipe.drain().catch((e: Error) => {
            throw new RestoreError('RESTORE_WRITE_FAILED', `Writing to the cluster node ${describeEndpoint(n.endpoint)} failed: ${e.message}`, { target: this.target }, { cause: e });
          }),
        ),
        ...this.background,
      ]);
      if (this.outstanding === 0) return;
      const idle = this.background.size === 0 && [...this.nodes.values()].every((n) => n.pipe === null || n.pipe.pending === 0);
      if (idle) {
        throw new RestoreError('RESTORE_WRITE_FAILED', `Writing to the cluster ${this.target} failed: ${this.outstanding} keys were neither acknowledged nor refused`, { target: this.target });
      }
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const node of this.nodes.values()) node.pipe?.close();
    this.control.disconnect();
  }
}

function parseAddress(key: string): NodeAddress {
  const colon = key.lastIndexOf(':');
  return { host: key.slice(0, colon), port: Number(key.slice(colon + 1)) };
}
