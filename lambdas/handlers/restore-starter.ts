/** Starts the restore state machine and tells how an execution ended; tests hand in an in-process runner. */
import { DescribeExecutionCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { executionArn, RestoreExecutionInput } from '../../lib/config/runtime-config';

/** An execution as Step Functions describes it (DescribeExecution). */
export interface RestoreExecution {
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED' | 'PENDING_REDRIVE';
  /** FAILED: the error name and cause of the Fail state. */
  error?: string;
  cause?: string;
  stopDate?: string;
}

export interface RestoreStarter {
  /** Starts an execution named after the restore id, with the input as JSON. */
  start(input: RestoreExecutionInput): Promise<void>;
  /** The execution of a restore, or null when there is none. */
  execution(restoreId: string): Promise<RestoreExecution | null>;
}

export function stepFunctionsRestoreStarter(stateMachineArn: string, client: SFNClient = new SFNClient({})): RestoreStarter {
  return {
    async start(input: RestoreExecutionInput): Promise<void> {
      await client.send(new StartExecutionCommand({ stateMachineArn, name: input.restoreId, input: JSON.stringify(input) }));
    },
    async execution(restoreId: string): Promise<RestoreExecution | null> {
      try {
        const out = await client.send(new DescribeExecutionCommand({ executionArn: executionArn(stateMachineArn, restoreId) }));
        return { status: (out.status ?? 'RUNNING') as RestoreExecution['status'], error: out.error, cause: out.cause, stopDate: out.stopDate?.toISOString() };
      } catch (e) {
        if ((e as Error).name === 'ExecutionDoesNotExist') return null;
        throw e;
      }
    },
  };
}
