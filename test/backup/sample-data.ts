import { Readable } from 'node:stream';
import Redis from 'ioredis';

/** A varied dataset across three databases: every type, small and large encodings, expiries, a stream with a group. */
export async function writeSampleData(client: Redis, options: { bigValues?: number } = {}): Promise<void> {
  const big = options.bigValues ?? 200;
  for (const db of [0, 1, 5]) {
    await client.select(db);
    const p = client.pipeline();
    p.set(`s:int:${db}`, '12345');
    p.set(`s:text:${db}`, 'hello world');
    p.set(Buffer.from([0, 1, 2, 0xff, db]), Buffer.from([0xde, 0xad]));
    p.set(`s:ttl:${db}`, 'x', 'PXAT', 4102444800000);
    for (let i = 0; i < big; i++) p.set(`s:big:${db}:${i}`, `${'v'.repeat(200)}${i}`);
    p.rpush(`l:small:${db}`, 'a', 'b', '3');
    p.rpush(`l:big:${db}`, ...Array.from({ length: 2000 }, (_, i) => `item-${i}`));
    p.sadd(`set:int:${db}`, 1, 2, 3, 100000);
    p.sadd(`set:big:${db}`, ...Array.from({ length: 600 }, (_, i) => `m${i}`));
    p.zadd(`z:small:${db}`, 1, 'one', 2.5, 'two.five', -3, 'minus');
    p.zadd(`z:big:${db}`, ...Array.from({ length: 300 }, (_, i) => [i * 1.5, `member-${i}`]).flat());
    p.hset(`h:small:${db}`, 'f1', 'v1', 'f2', '2');
    p.hset(`h:big:${db}`, ...Array.from({ length: 700 }, (_, i) => [`field-${i}`, `value-${i}`]).flat());
    p.xadd(`x:${db}`, '1-1', 'k', 'v1');
    p.xadd(`x:${db}`, '2-1', 'k', 'v2');
    p.xgroup('CREATE', `x:${db}`, 'g', '0');
    p.xreadgroup('GROUP', 'g', 'alice', 'COUNT', 1, 'STREAMS', `x:${db}`, '>');
    await p.exec();
  }
  await client.select(0);
}

export async function readAll(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of stream) parts.push(c as Buffer);
  return Buffer.concat(parts);
}
