/**
 * The reader's trusted mode (restore: input already proved by its SHA-256) only finds
 * where values end, with its own fast paths (runs of strings in hash tables, sets, lists
 * and sorted sets). On every intact fixture it must give exactly the records of the
 * default deep walk, whether fed whole, one byte at a time (small files), or cut anywhere.
 */
import { allRdbFixtures } from '../helpers/fixtures';
import { firstDifference, fixtureName, mulberry32, randomInt, readFixture, runReader } from '../helpers/rdb-harness';

/** Files up to this size are also fed one byte at a time. */
const BYTEWISE_MAX = 4096;
const SEEDED_CUTS = 20;

const intact = allRdbFixtures()
  .map((path) => ({ path, name: fixtureName(path) }))
  .map((f) => ({ ...f, data: readFixture(f.path) }))
  .map((f) => ({ ...f, deep: runReader(f.data, 'whole') }))
  .filter((f) => f.deep.error === null);

test('the fixtures include intact files with hash tables, sets, lists and sorted sets', () => {
  expect(intact.length).toBeGreaterThan(50);
  const types = new Set(intact.flatMap((f) => f.deep.records.map((r) => r.typeId)));
  for (const typeId of [1, 2, 4, 5]) expect(types).toContain(typeId);
});

describe.each(intact.map((f) => [f.name, f] as const))('%s', (_name, f) => {
  test('trusted mode gives the deep walk\'s records, fed whole and cut anywhere', () => {
    expect(firstDifference(runReader(f.data, 'whole', { trusted: true }), f.deep)).toBeNull();
    if (f.data.length <= BYTEWISE_MAX) expect(firstDifference(runReader(f.data, 'bytes', { trusted: true }), f.deep)).toBeNull();
    const rand = mulberry32(f.data.length);
    for (let i = 0; i < SEEDED_CUTS && f.data.length > 1; i++) {
      const a = 1 + randomInt(rand, f.data.length - 1);
      const b = 1 + randomInt(rand, f.data.length - 1);
      const cuts = [...new Set([a, b])].sort((x, y) => x - y);
      const got = runReader(f.data, cuts, { trusted: true });
      const diff = firstDifference(got, f.deep);
      if (diff !== null) throw new Error(`cut at ${cuts.join(', ')}: ${diff}`);
    }
  });
});
