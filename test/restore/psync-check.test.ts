import { partialResyncVerdict } from '../../lambdas/restore/psync-check';
import { ReplicationInfo } from '../../lambdas/restore/replication-info';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const rdb = { replId: A, replOffset: 1000, aux: { 'repl-id': A, 'repl-offset': '1000', 'repl-stream-db': '0' } };
const master = (over: Partial<ReplicationInfo>): ReplicationInfo => ({
  role: 'master',
  replId: A,
  replId2: '0'.repeat(40),
  replOffset: 1500,
  secondReplOffset: -1,
  backlogActive: true,
  backlogFirstByteOffset: 1,
  backlogHistlen: 1500,
  masterHost: null,
  masterPort: null,
  masterLinkStatus: null,
  masterSyncInProgress: false,
  ...over,
});

describe('partial resync verdict (PSYNC <repl-id> <repl-offset + 1>)', () => {
  test('current replication ID, offset inside the backlog', () => {
    expect(partialResyncVerdict(rdb, master({}))).toMatchObject({ possible: true, replId: A, offset: 1001, behindBytes: 500 });
    // The backlog may start exactly at the requested byte, and the master may have written nothing since.
    expect(partialResyncVerdict(rdb, master({ backlogFirstByteOffset: 1001, backlogHistlen: 0, replOffset: 1000 })).possible).toBe(true);
  });

  test('previous replication ID (after a failover) up to second_repl_offset only', () => {
    expect(partialResyncVerdict(rdb, master({ replId: B, replId2: A, secondReplOffset: 1001 })).possible).toBe(true);
    const past = partialResyncVerdict(rdb, master({ replId: B, replId2: A, secondReplOffset: 900 }));
    expect(past).toMatchObject({ possible: false, offset: 1001 });
    expect(past.reason).toMatch(/past the end \(900\) of the master's previous replication ID/);
  });

  test('reasons when it is not possible', () => {
    expect(partialResyncVerdict(rdb, master({ replId: B })).reason).toMatch(/replication history changed/);
    expect(partialResyncVerdict(rdb, master({ backlogActive: false })).reason).toMatch(/no replication backlog/);
    expect(partialResyncVerdict(rdb, master({ backlogFirstByteOffset: 1200, backlogHistlen: 300 })).reason).toMatch(/backlog starts at offset 1200, after the snapshot's offset 1001: 199 bytes/);
    expect(partialResyncVerdict(rdb, master({ backlogHistlen: 500 })).reason).toMatch(/ahead of the master's/);
    expect(partialResyncVerdict({ replId: null, replOffset: null, aux: {} }, master({})).reason).toMatch(/no replication ID/);
    expect(partialResyncVerdict({ ...rdb, aux: { 'repl-id': A, 'repl-offset': '1000' } }, master({})).reason).toMatch(/no repl-stream-db/);
  });
});
