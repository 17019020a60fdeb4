/**
 * Starts an on-demand backup without waiting for it. Two ways, after the stack:
 * an execution of the on-demand backup state machine (named after the request
 * id), or an asynchronous invocation of the backup function. Tests hand in an
 * in-process starter.
 */
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { ENV } from '../../lib/config/function-env';
import { BackupEvent, OnDemandBackupInput } from '../../lib/config/runtime-config';
import { lambdaAsyncInvoker, LambdaInvokerOptions } from './lambda-invoke';

/** What the API asks for (the on-demand backup state machine's input; requestId is the backup's correlation id and execution name). */
export type BackupRequest = OnDemandBackupInput;

export interface BackupStarter {
  start(request: BackupRequest): Promise<void>;
}

export function stepFunctionsBackupStarter(stateMachineArn: string, client: SFNClient = new SFNClient({})): BackupStarter {
  return {
    async start(request) {
      await client.send(new StartExecutionCommand({ stateMachineArn, name: request.requestId, input: JSON.stringify(request) }));
    },
  };
}

export function lambdaBackupStarter(functionName: string, options: LambdaInvokerOptions = {}): BackupStarter {
  const invoker = lambdaAsyncInvoker(functionName, options);
  return {
    async start(request) {
      const event: BackupEvent = { source: request.source, trigger: 'api', requestId: request.requestId };
      await invoker.invoke(event);
    },
  };
}

/** The state machine when the stack names one (it tracks the run and waits for it), else the function. */
export function backupStarterFromEnv(env: NodeJS.ProcessEnv = process.env): BackupStarter {
  const machine = env[ENV.backupStateMachineArn];
  if (machine) return stepFunctionsBackupStarter(machine);
  const fn = env[ENV.backupFunction];
  if (fn) return lambdaBackupStarter(fn);
  throw new Error(`Neither ${ENV.backupStateMachineArn} nor ${ENV.backupFunction} is set: on-demand backups have nowhere to go`);
}
