/** Starts the restore state machine; tests hand in an in-process runner. */
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { RestoreExecutionInput } from '../../lib/config/runtime-config';

export interface RestoreStarter {
  /** Starts an execution named after the restore id, with the input as JSON. */
  start(input: RestoreExecutionInput): Promise<void>;
}

export function stepFunctionsRestoreStarter(stateMachineArn: string, client: SFNClient = new SFNClient({})): RestoreStarter {
  return {
    async start(input: RestoreExecutionInput): Promise<void> {
      await client.send(new StartExecutionCommand({ stateMachineArn, name: input.restoreId, input: JSON.stringify(input) }));
    },
  };
}
