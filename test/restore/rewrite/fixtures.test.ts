import Redis from 'ioredis';
import { RdbEntry, RedisValue, scoreFormatFor, ScoreFormat } from '../../../lambdas/rdb';
import { RestoreError } from '../../../lambdas/restore/errors';
import { capabilitiesFromInfo, keyLabel, rewriteEntry } from '../../../lambdas/restore/rewrite';
import { Command, TargetCapabilities } from '../../../lambdas/restore/types';
import { readDataset, readFunctionLibraries } from '../../helpers/dataset';
import { digestFor } from '../../helpers/fixtures';
import { RedisServer } from '../../helpers/redis-server';
import { expectedStreamShape, readStreamShape } from './stream-check';
import { compareWithTruth, entryId, idOf, exportSorted, Fixture, FIXTURES, parse, Parsed, send } from '../../helpers/truth';

/**
 * Every fixture with ground truth (whatever its RDB version or writer) is decoded,
 * every key rewritten as ordinary commands for a local redis-server 7.0 and sent to
 * it; the server read back with ordinary commands must equal the truth.
 */

interface Target {
  server: RedisServer;
  client: Redis;
  caps: TargetCapabilities;
  format: ScoreFormat;
}

async function withTarget<T>(fn: (t: Target) => Promise<T>): Promise<T> {
  const server = await RedisServer.start({ config: { 'enable-debug-command': 'yes' } });
  try {
    const client = server.client();
    const caps = capabilitiesFromInfo(String(await client.call('INFO', 'server')));
    return await fn({ server, client, caps, format: scoreFormatFor(caps.engine, caps.version.join('.'), caps.rdbVersion) });
  } finally {
    await server.stop();
  }
}

interface WriteResult {
  written: Set<string>;
  refused: Array<{ entry: RdbEntry; error: RestoreError }>;
  lossy: string[];
}

/**
 * Rewrites every entry and sends all the commands as one pipeline (SELECTs included);
 * keys the rewrite refuses are collected, any other failure fails the test.
 */
async function writeAll(client: Redis, entries: RdbEntry[], caps: TargetCapabilities, options: { allowLossy: boolean; replace: boolean }): Promise<WriteResult> {
  const out: WriteResult = { written: new Set(), refused: [], lossy: [] };
  const commands: Command[] = [];
  let db = 0;
  for (const entry of entries) {
    let rewrite;
    try {
      rewrite = rewriteEntry(entry.key, valueOf(entry), entry.expireAtMs, caps, options);
    } catch (e) {
      if (!(e instanceof RestoreError) || e.code !== 'RESTORE_UNREPRESENTABLE') throw e;
      out.refused.push({ entry, error: e });
      continue;
    }
    if (entry.db !== db) commands.push(['SELECT', String((db = entry.db))]);
    commands.push(...rewrite.commands);
    out.written.add(entryId(entry));
    out.lossy.push(...rewrite.lossy);
  }
  if (db !== 0) commands.push(['SELECT', '0']);
  const replies = await send(client, commands);
  commands.forEach((c, i) => {
    // XCLAIM FORCE answers with the ids it claimed: one each, or the pending entry was not created.
    if (c[0] === 'XCLAIM') expect((replies[i] as Buffer[]).map(String)).toEqual([String(c[5])]);
  });
  return out;
}

async function loadFunctions(client: Redis, parsed: Parsed): Promise<void> {
  for (const f of parsed.functions) expect(String(await client.callBuffer('FUNCTION', 'LOAD', f.code))).toBe(f.name);
}

/** Decoded values, decoded once. */
const values = new WeakMap<RdbEntry, RedisValue>();
function valueOf(e: RdbEntry): RedisValue {
  let v = values.get(e);
  if (v === undefined) values.set(e, (v = e.value()));
  return v;
}

const hasFieldExpiry = (e: RdbEntry): boolean => {
  const v = valueOf(e);
  return v.type === 'hash' && v.fields.some((f) => f.expireAtMs !== null);
};
const fieldExpiryCount = (e: RdbEntry): number => {
  const v = valueOf(e);
  return v.type === 'hash' ? v.fields.filter((f) => f.expireAtMs !== null).length : 0;
};

function truthFormatOf(fixture: Fixture): ScoreFormat {
  return scoreFormatFor(fixture.truth.server === 'valkey' ? 'valkey' : 'redis', fixture.truth.version, fixture.rdbVersion);
}

/** Everything readDataset leaves out of a stream (consumers, delivery times, counters) matches the snapshot. */
async function checkStreams(client: Redis, entries: RdbEntry[], written: Set<string>, caps: TargetCapabilities): Promise<void> {
  for (const entry of entries) {
    const v = valueOf(entry);
    if (v.type !== 'stream' || !written.has(entryId(entry))) continue;
    await client.select(entry.db);
    const actual = await readStreamShape(client, entry.key, true, caps.streamMetadata);
    expect({ key: entry.key.toString('latin1'), ...actual }).toEqual({ key: entry.key.toString('latin1'), ...expectedStreamShape(v.stream, caps, true) });
  }
  await client.select(0);
}

/** Pretend capabilities of older servers: the 7.0 server accepts their command forms too. */
const OLDER_TARGETS = ['6.0.20', '3.2.13'].map((v) => capabilitiesFromInfo(`# Server\r\nredis_version:${v}\r\n`));

test('there are fixtures with ground truth, among them hash field expiry and streams with consumer groups', async () => {
  expect(FIXTURES.length).toBeGreaterThanOrEqual(9);
  const all = (await Promise.all(FIXTURES.map((f) => parse(f.path)))).flatMap((p) => p.entries);
  expect(all.some(hasFieldExpiry)).toBe(true);
  expect(all.some((e) => { const v = valueOf(e); return v.type === 'stream' && v.stream.groups.some((g) => g.pending.length > 0); })).toBe(true);
});

describe.each(FIXTURES.map((f) => [f.name, f] as const))('rewrite of %s into a local redis-server', (_name, fixture) => {
  let parsed: Parsed;
  beforeAll(async () => {
    parsed = await parse(fixture.path);
  });

  test('without --allow-lossy: every key the target can hold matches the truth; hash field expiry is refused, naming key and feature', async () => {
    await withTarget(async ({ client, caps, format }) => {
      const { written, refused, lossy } = await writeAll(client, parsed.entries, caps, { allowLossy: false, replace: false });
      await loadFunctions(client, parsed);
      expect(lossy).toEqual([]);

      // Refused: exactly the hashes with field expiry (the 7.0 target has no HPEXPIREAT).
      const expectRefused = parsed.entries.filter((e) => !caps.hashFieldExpiry && hasFieldExpiry(e));
      expect(refused.map((r) => entryId(r.entry))).toEqual(expectRefused.map(entryId));
      for (const { entry, error } of refused) {
        expect(error.message).toContain(keyLabel(entry.key));
        expect(error.message).toContain('field expiry');
        expect(error.message).toContain(`redis ${caps.version.join('.')}`);
        expect(error.message).toContain('--allow-lossy');
        expect(error.context.key).toBe(keyLabel(entry.key));
      }
      // The truth agrees on which keys have field expiry.
      expect(fixture.truth.keys.filter((k) => k.fieldExpireAtMs !== undefined).map(idOf).sort()).toEqual(parsed.entries.filter(hasFieldExpiry).map(entryId).sort());

      const dataset = await readDataset(client);
      compareWithTruth(dataset, fixture.truth, truthFormatOf(fixture), format, { only: written });
      expect(dataset.keys).toStrictEqual(exportSorted(parsed.entries.filter((e) => written.has(entryId(e))), format));
      expect(dataset.functions).toEqual([...(fixture.truth.functions ?? [])].sort());
      expect((await readFunctionLibraries(client)).map((l) => l.code.toString('base64')).sort()).toEqual(parsed.functions.map((f) => f.code.toString('base64')).sort());
      await checkStreams(client, parsed.entries, written, caps);

      // DEBUG DIGEST hashes the logical dataset: a complete rewrite of a file written by Redis 7.0 or
      // older must reproduce the writer's digest (the digest of these types is the same back to 2.8;
      // 7.2 changed it). This is also what proves the bytes of the truth's lossy binary hash fields.
      const digest = digestFor(fixture.path);
      const [major, minor] = fixture.truth.version.split('.').map(Number);
      if (digest !== null && fixture.truth.server === 'redis' && refused.length === 0 && (major < 7 || (major === 7 && minor === 0))) {
        expect(String(await client.call('DEBUG', 'DIGEST'))).toBe(digest);
      }
    });
  });

  test('with --allow-lossy and replace, over other values at the same keys: all keys match the truth minus field expiry, and the lossy list names what was dropped', async () => {
    await withTarget(async ({ client, caps, format }) => {
      // Occupy every key with a list that has an expiry: the rewrite must replace type, value and expiry.
      const occupy: Command[] = [];
      for (const e of parsed.entries) occupy.push(['SELECT', String(e.db)], ['RPUSH', e.key, 'old'], ['PEXPIRE', e.key, '86400000']);
      await send(client, [...occupy, ['SELECT', '0']]);
      expect((await readDataset(client)).keys).toHaveLength(parsed.entries.length);
      const { written, refused, lossy } = await writeAll(client, parsed.entries, caps, { allowLossy: true, replace: true });
      await loadFunctions(client, parsed);
      expect(refused).toEqual([]);
      expect(written.size).toBe(parsed.entries.length);

      const dropped = parsed.entries.filter((e) => !caps.hashFieldExpiry && hasFieldExpiry(e));
      expect(lossy).toHaveLength(dropped.length);
      dropped.forEach((e, i) => {
        expect(lossy[i]).toContain(keyLabel(e.key));
        const n = fieldExpiryCount(e);
        expect(lossy[i]).toContain(`field expiry (${n} field${n === 1 ? '' : 's'})`);
      });

      const dataset = await readDataset(client);
      compareWithTruth(dataset, fixture.truth, truthFormatOf(fixture), format, { withoutFieldExpiry: !caps.hashFieldExpiry });
      expect(dataset.keys).toStrictEqual(exportSorted(parsed.entries, format, !caps.hashFieldExpiry));
      expect(dataset.functions).toEqual([...(fixture.truth.functions ?? [])].sort());
      await checkStreams(client, parsed.entries, written, caps);
    });
  });

  test('with the command forms of older targets (Redis 6.0: no PXAT, CREATECONSUMER or stream counters; 3.2: HMSET, no streams)', async () => {
    await withTarget(async ({ client, format }) => {
      for (const caps of OLDER_TARGETS) {
        await client.flushall();
        const { written, refused, lossy } = await writeAll(client, parsed.entries, caps, { allowLossy: true, replace: false });
        // Streams need 5.0 whatever --allow-lossy says.
        const expectRefused = parsed.entries.filter((e) => valueOf(e).type === 'stream' && caps.version[0] < 5);
        expect(refused.map((r) => entryId(r.entry))).toEqual(expectRefused.map(entryId));
        for (const { error } of refused) expect(error.message).toContain('streams need Redis 5.0+');
        expect(lossy).toHaveLength(parsed.entries.filter(hasFieldExpiry).length);

        const dataset = await readDataset(client, { functions: false });
        compareWithTruth(dataset, fixture.truth, truthFormatOf(fixture), format, { only: written, withoutFieldExpiry: true });
        expect(dataset.keys).toStrictEqual(exportSorted(parsed.entries.filter((e) => written.has(entryId(e))), format, true));
        // Groups get no ENTRIESREAD, the stream no counters; consumers and pending entries are exact.
        await checkStreams(client, parsed.entries, written, caps);
      }
    });
  });
});
