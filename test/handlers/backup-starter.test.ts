import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { lambdaBackupStarter } from '../../lambdas/handlers/backup-starter';

/** The on-demand backup as an asynchronous Lambda invocation: the request Lambda's Invoke API receives, signed with SigV4. */
describe('lambdaBackupStarter', () => {
  let server: Server;
  let endpoint: string;
  const received: Array<{ method: string; url: string; headers: IncomingMessage['headers']; body: string }> = [];
  let status = 202;

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
        res.writeHead(status, { 'content-type': 'application/json' }).end(status === 202 ? '' : '{"Type":"User","message":"User is not authorized to perform: lambda:InvokeFunction"}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };

  test('invokes the function asynchronously with the BackupEvent as payload', async () => {
    const arn = 'arn:aws:lambda:eu-west-1:123456789012:function:redis-backup-Backup';
    const starter = lambdaBackupStarter(arn, { region: 'eu-west-1', endpoint, credentials });
    await starter.start({ source: 'orders', requestId: 'b20261125T080102Z-3f9a1c', requestedAt: '2026-11-25T08:01:02Z' });
    const [req] = received;
    expect(req.method).toBe('POST');
    expect(req.url).toBe(`/2015-03-31/functions/${encodeURIComponent(arn)}/invocations`);
    expect(req.headers['x-amz-invocation-type']).toBe('Event');
    expect(req.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/lambda\/aws4_request, SignedHeaders=[^,]*x-amz-invocation-type[^,]*, Signature=[0-9a-f]{64}$/);
    expect(req.headers['x-amz-date']).toMatch(/^\d{8}T\d{6}Z$/);
    expect(JSON.parse(req.body)).toEqual({ source: 'orders', trigger: 'api', requestId: 'b20261125T080102Z-3f9a1c' });
  });

  test('a refused invocation is an error that says why', async () => {
    status = 403;
    const starter = lambdaBackupStarter('redis-backup-Backup', { region: 'eu-west-1', endpoint, credentials });
    await expect(starter.start({ source: 'orders', requestId: 'b1', requestedAt: '2026-11-25T08:01:02Z' })).rejects.toMatchObject({
      code: 'INVOKE_FAILED',
      message: expect.stringContaining('HTTP 403'),
    });
  });
});
