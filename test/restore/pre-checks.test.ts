import { API_OPTION_NAMES } from '../../lambdas/handlers/restore/targets';
import { clusterDbsError, ManifestKeys, targetNotEmptyError, throwIfRefused } from '../../lambdas/restore/pre-checks';

/** A snapshot with keys in source dbs 0 and 2. */
const manifest: ManifestKeys = {
  keys: {
    total: 5,
    expiring: 0,
    byDb: {
      '0': { keys: 3, expiring: 0, byType: { string: 3 } },
      '2': { keys: 2, expiring: 0, byType: { hash: 2 } },
    },
  },
};

describe('restore pre-checks', () => {
  test('a target is busy only where the snapshot writes, unless a filter is set', () => {
    expect(targetNotEmptyError('redis://t:1', new Map([[0, 0], [5, 9]]), manifest, {})).toBeNull();
    // db 2 is mapped to db 5, which holds keys.
    const mapped = targetNotEmptyError('redis://t:1', new Map([[5, 9]]), manifest, { dbMap: { 2: 5 } });
    expect(mapped).toMatchObject({ code: 'RESTORE_TARGET_NOT_EMPTY', context: { target: 'redis://t:1' } });
    expect(mapped?.message).toContain('db 5: 9 keys');
    // With a filter the counts cannot be compared: any key anywhere refuses.
    expect(targetNotEmptyError('redis://t:1', new Map([[9, 1]]), manifest, { match: ['a*'] })).toMatchObject({ code: 'RESTORE_TARGET_NOT_EMPTY' });
  });

  test('the message names the options in the caller\'s words: CLI flags by default, the API\'s request fields when asked', () => {
    const busy = new Map([[0, 4]]);
    const cli = targetNotEmptyError('redis://t:1', busy, manifest, {});
    expect(cli?.message).toContain('Use --flush to empty it first, or --replace');
    const api = targetNotEmptyError('redis://t:1', busy, manifest, {}, API_OPTION_NAMES);
    expect(api?.message).toContain('options.flush (where the target allows it)');
    expect(api?.message).toContain('options.replace');
    expect(api?.message).not.toContain('--');
  });

  test('a cluster takes only databases that map to db 0', () => {
    expect(clusterDbsError(manifest, { dbs: [0] })).toBeNull();
    expect(clusterDbsError(manifest, { dbMap: { 2: 0 } })).toBeNull();
    const cli = clusterDbsError(manifest, {});
    expect(cli).toMatchObject({ code: 'RESTORE_BAD_REQUEST' });
    expect(cli?.message).toContain('keys in db 2');
    expect(cli?.message).toContain('--db-map 2:0');
    const api = clusterDbsError(manifest, { dbs: [2], dbMap: { 2: 3 } }, API_OPTION_NAMES);
    expect(api?.message).toContain('options.dbs');
    expect(api?.message).toContain('options.dbMap {"2": 0}');
    expect(api?.message).not.toContain('--');
  });

  test('throwIfRefused throws the error it is given, and nothing for null', () => {
    expect(() => throwIfRefused(null)).not.toThrow();
    const error = clusterDbsError(manifest, {});
    expect(() => throwIfRefused(error)).toThrow(expect.objectContaining({ code: 'RESTORE_BAD_REQUEST' }));
  });
});
