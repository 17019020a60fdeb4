import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { SFNClient } from '@aws-sdk/client-sfn';
import { ENV } from '../../lib/config/function-env';
import { RestoreExecutionInput } from '../../lib/config/runtime-config';
import { backupStarterFromEnv } from '../../lambdas/handlers/backup-starter';
import { stepFunctionsRestoreStarter } from '../../lambdas/handlers/restore-starter';

/**
 * The API's starters as Step Functions receives them: StartExecution requests from the real SDK
 * client, signed with SigV4, to an endpoint that answers like the service (no Step Functions runs
 * locally).
 */
describe('the state machine starters', () => {
  let server: Server;
  let client: SFNClient;
  const received: Array<{ target: string; authorization: string; body: Record<string, unknown> }> = [];
  let refuse = false;

  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        const parsed = JSON.parse(body) as Record<string, unknown>;
        received.push({ target: String(req.headers['x-amz-target']), authorization: String(req.headers.authorization), body: parsed });
        if (req.headers['x-amz-target'] === 'AWSStepFunctions.DescribeExecution') {
          const arn = String(parsed.executionArn);
          if (arn.endsWith(':r20261125T000000Z-000000')) {
            res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0' }).end(JSON.stringify({ __type: 'ExecutionDoesNotExist', message: `Execution Does Not Exist: '${arn}'` }));
            return;
          }
          res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' }).end(JSON.stringify({ executionArn: arn, status: 'TIMED_OUT', startDate: 1_795_000_000, stopDate: 1_795_086_400 }));
          return;
        }
        if (refuse) {
          res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0' }).end(JSON.stringify({ __type: 'ExecutionAlreadyExists', message: `Execution Already Exists: '${String(parsed.name)}'` }));
          return;
        }
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' }).end(JSON.stringify({ executionArn: `arn:aws:states:eu-west-1:111122223333:execution:M:${String(parsed.name)}`, startDate: 1_795_000_000 }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    client = new SFNClient({ region: 'eu-west-1', endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' } });
  });
  afterAll(async () => {
    client.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  beforeEach(() => {
    received.length = 0;
    refuse = false;
  });

  test('an on-demand backup: an execution of the machine the stack names, named after the request id', async () => {
    const machine = 'arn:aws:states:eu-west-1:111122223333:stateMachine:OnDemandBackup';
    const request = { source: 'orders', requestId: 'b20261125T080102Z-3f9a1c', requestedAt: '2026-11-25T08:01:02Z' };
    await backupStarterFromEnv({ [ENV.backupStateMachineArn]: machine }, client).start(request);
    expect(received).toEqual([
      {
        target: 'AWSStepFunctions.StartExecution',
        authorization: expect.stringMatching(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/states\/aws4_request, /),
        body: { stateMachineArn: machine, name: request.requestId, input: JSON.stringify(request) },
      },
    ]);
  });

  test('without the variable the starter says which one the stack sets', () => {
    expect(() => backupStarterFromEnv({})).toThrow(`${ENV.backupStateMachineArn} is not set`);
  });

  test('a restore: an execution named after the restore id; a refused start is an error', async () => {
    const machine = 'arn:aws:states:eu-west-1:111122223333:stateMachine:Restore';
    const input: RestoreExecutionInput = { restoreId: 'r20261125T080102Z-3f9a1c', source: 'orders', snapshot: 'latest', target: 'staging', mode: 'load', options: {}, requestedAt: '2026-11-25T08:01:02Z' };
    const starter = stepFunctionsRestoreStarter(machine, client);
    await starter.start(input);
    expect(received[0].body).toEqual({ stateMachineArn: machine, name: input.restoreId, input: JSON.stringify(input) });
    refuse = true;
    await expect(starter.start(input)).rejects.toMatchObject({ name: 'ExecutionAlreadyExists' });
  });

  test('a restore\'s execution: DescribeExecution on the execution named after the restore id; none is null', async () => {
    const starter = stepFunctionsRestoreStarter('arn:aws:states:eu-west-1:111122223333:stateMachine:Restore', client);
    expect(await starter.execution('r20261125T080102Z-3f9a1c')).toEqual({ status: 'TIMED_OUT', stopDate: new Date(1_795_086_400_000).toISOString() });
    expect(received[0]).toMatchObject({ target: 'AWSStepFunctions.DescribeExecution', body: { executionArn: 'arn:aws:states:eu-west-1:111122223333:execution:Restore:r20261125T080102Z-3f9a1c' } });
    expect(await starter.execution('r20261125T000000Z-000000')).toBeNull();
  });
});
