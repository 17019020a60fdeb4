import { RestoreError } from '../../../lambdas/restore/errors';
import { capabilitiesFromInfo, rdbVersionFor, rdbVersionFromRestoreError, restoreFooter } from '../../../lambdas/restore/rewrite';

/** An INFO server reply as the given server prints it (CRLF line ends, as on the wire). */
function infoServer(lines: string[]): string {
  return ['# Server', ...lines, 'redis_git_sha1:00000000', 'redis_git_dirty:0', 'redis_mode:standalone', 'os:Linux 6.1.0 x86_64', 'arch_bits:64', 'tcp_port:6379', ''].join('\r\n');
}

const SAMPLES = {
  'redis 6.2.14': infoServer(['redis_version:6.2.14']),
  'redis 7.0.15': infoServer(['redis_version:7.0.15']),
  'redis 7.2.4': infoServer(['redis_version:7.2.4']),
  'redis 7.4.1': infoServer(['redis_version:7.4.1']),
  'valkey 8.0.1': infoServer(['redis_version:7.2.4', 'server_name:valkey', 'valkey_version:8.0.1']),
};

test.each([
  ['redis 6.2.14', { engine: 'redis', version: [6, 2, 14], rdbVersion: 9, hashFieldExpiry: false, streamMetadata: false, createConsumer: true, functions: false }],
  ['redis 7.0.15', { engine: 'redis', version: [7, 0, 15], rdbVersion: 10, hashFieldExpiry: false, streamMetadata: true, createConsumer: true, functions: true }],
  ['redis 7.2.4', { engine: 'redis', version: [7, 2, 4], rdbVersion: 11, hashFieldExpiry: false, streamMetadata: true, createConsumer: true, functions: true }],
  ['redis 7.4.1', { engine: 'redis', version: [7, 4, 1], rdbVersion: 12, hashFieldExpiry: true, streamMetadata: true, createConsumer: true, functions: true }],
  ['valkey 8.0.1', { engine: 'valkey', version: [8, 0, 1], rdbVersion: 11, hashFieldExpiry: false, streamMetadata: true, createConsumer: true, functions: true }],
] as const)('capabilitiesFromInfo: %s', (name, expected) => {
  expect(capabilitiesFromInfo(SAMPLES[name])).toEqual(expected);
});

test('capabilitiesFromInfo: older and newer servers', () => {
  const caps = (lines: string[]) => capabilitiesFromInfo(infoServer(lines));
  expect(caps(['redis_version:2.4.18'])).toMatchObject({ rdbVersion: 0, createConsumer: false, streamMetadata: false, functions: false });
  expect(caps(['redis_version:2.8.24']).rdbVersion).toBe(6);
  expect(caps(['redis_version:3.0.7']).rdbVersion).toBe(6);
  expect(caps(['redis_version:3.2.13']).rdbVersion).toBe(7);
  expect(caps(['redis_version:4.0.14']).rdbVersion).toBe(8);
  expect(caps(['redis_version:5.0.14'])).toMatchObject({ rdbVersion: 9, createConsumer: false });
  expect(caps(['redis_version:6.0.20'])).toMatchObject({ rdbVersion: 9, createConsumer: false });
  expect(caps(['redis_version:8.0.2'])).toMatchObject({ rdbVersion: 12, hashFieldExpiry: true });
  expect(caps(['redis_version:8.2.1']).rdbVersion).toBe(12);
  // Valkey 7.2 reports server_name only; its redis_version is its own version.
  expect(caps(['redis_version:7.2.5', 'server_name:valkey'])).toMatchObject({ engine: 'valkey', version: [7, 2, 5], rdbVersion: 11, hashFieldExpiry: false });
  expect(caps(['redis_version:7.2.4', 'server_name:valkey', 'valkey_version:8.1.3'])).toMatchObject({ engine: 'valkey', rdbVersion: 11 });
  // Valkey 9 has hash field expiry and its own RDB numbering (80).
  expect(caps(['redis_version:7.2.4', 'server_name:valkey', 'valkey_version:9.0.0'])).toMatchObject({ engine: 'valkey', version: [9, 0, 0], rdbVersion: 80, hashFieldExpiry: true });
  // LF line ends and plain INFO (all sections) work too.
  expect(capabilitiesFromInfo('# Server\nredis_version:7.0.15\n\n# Clients\nconnected_clients:1\n').version).toEqual([7, 0, 15]);
});

test('capabilitiesFromInfo refuses a reply without a version', () => {
  for (const text of ['# Server\nredis_mode:standalone\n', '', 'redis_version:unknown']) {
    let error: unknown;
    try {
      capabilitiesFromInfo(text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RestoreError);
    expect((error as RestoreError).code).toBe('RESTORE_TARGET_REFUSED');
  }
});

test('rdbVersionFor', () => {
  expect(rdbVersionFor('redis', [7, 4, 0])).toBe(12);
  expect(rdbVersionFor('redis', [8, 6, 0])).toBe(13);
  expect(rdbVersionFor('redis', [255, 255, 255])).toBe(14);
  expect(rdbVersionFor('valkey', [9, 1, 0])).toBe(80);
});

test('rdbVersionFromRestoreError steps down to the next released RDB version', () => {
  const msg = 'ERR DUMP payload version or checksum are wrong';
  expect(rdbVersionFromRestoreError(msg, 12)).toBe(11);
  expect(rdbVersionFromRestoreError(msg, 11)).toBe(10);
  expect(rdbVersionFromRestoreError(msg, 80)).toBe(11);
  expect(rdbVersionFromRestoreError(msg, 6)).toBeNull();
  expect(rdbVersionFromRestoreError('ERR Bad data format', 12)).toBeNull();
  expect(rdbVersionFromRestoreError('BUSYKEY Target key name already exists.', 12)).toBeNull();
});

test('restoreFooter lowers the footer to the target, or says the key must be rewritten', () => {
  const redis70 = capabilitiesFromInfo(SAMPLES['redis 7.0.15']);
  const redis74 = capabilitiesFromInfo(SAMPLES['redis 7.4.1']);
  const valkey8 = capabilitiesFromInfo(SAMPLES['valkey 8.0.1']);
  const valkey9 = capabilitiesFromInfo(infoServer(['redis_version:7.2.4', 'server_name:valkey', 'valkey_version:9.0.0']));
  // A 7.4 file: a listpack hash (type 16, since v10) and a hash with field TTLs (type 25, v12).
  expect(restoreFooter(redis70, { minRdbVersion: 10, rdbVersion: 12 })).toBe(10);
  expect(restoreFooter(redis70, { minRdbVersion: 12, rdbVersion: 12 })).toBeNull();
  expect(restoreFooter(redis74, { minRdbVersion: 12, rdbVersion: 12 })).toBe(12);
  expect(restoreFooter(valkey8, { minRdbVersion: 10, rdbVersion: 12 })).toBe(11);
  expect(restoreFooter(valkey8, { minRdbVersion: 12, rdbVersion: 12 })).toBeNull();
  // Valkey 9 refuses the foreign range 12-79 and Redis's types >= 22.
  expect(restoreFooter(valkey9, { minRdbVersion: 10, rdbVersion: 12 })).toBe(11);
  expect(restoreFooter(valkey9, { minRdbVersion: 12, rdbVersion: 12 })).toBeNull();
  expect(restoreFooter(valkey9, { minRdbVersion: 12, rdbVersion: 80 })).toBe(80);
  // ... and Redis knows nothing of Valkey 9's numbering.
  expect(restoreFooter(redis74, { minRdbVersion: 9, rdbVersion: 80 })).toBe(11);
  expect(restoreFooter(redis74, { minRdbVersion: 12, rdbVersion: 80 })).toBeNull();
  // An old file into a new server keeps its own footer.
  expect(restoreFooter(redis74, { minRdbVersion: 1, rdbVersion: 6 })).toBe(6);
});
