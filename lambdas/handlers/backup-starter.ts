/**
 * Starts an on-demand backup without waiting for it: an execution of the
 * on-demand backup state machine (REDIS_BACKUP_BACKUP_STATE_MACHINE_ARN), named
 * after the request id, which invokes the backup function and waits for it.
 * Tests hand in an in-process starter.
 */
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { ENV } from '../../lib/config/function-env';
import { OnDemandBackupInput } from '../../lib/config/runtime-config';

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

/** The on-demand backup state machine the stack names. */
export function backupStarterFromEnv(env: NodeJS.ProcessEnv = process.env, client?: SFNClient): BackupStarter {
  const machine = env[ENV.backupStateMachineArn];
  if (!machine) throw new Error(`The environment variable ${ENV.backupStateMachineArn} is not set (the CDK stack sets it): on-demand backups have nowhere to go`);
  return stepFunctionsBackupStarter(machine, client);
}
