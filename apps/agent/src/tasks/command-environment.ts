/**
 * The environment of a command task: the `MESOS_*` variables executors and tasks expect
 * (reference §2), then the CommandInfo's own variables, which win as in Mesos (the task's
 * environment has the highest priority). SECRET variables need a secret resolver Agora does
 * not have yet; they are left out and reported.
 */
import type { CommandInfo } from '@agora/protocol';

export interface TaskEnvironmentInput {
  readonly sandbox: string;
  readonly taskId: string;
  readonly frameworkId: string;
  readonly agentId: string;
  readonly executorId: string;
  readonly command: CommandInfo;
}

export interface TaskEnvironment {
  readonly env: Record<string, string>;
  /** Names of variables that could not be set (secrets). */
  readonly skipped: string[];
}

export function taskEnvironment(input: TaskEnvironmentInput): TaskEnvironment {
  const env: Record<string, string> = {
    MESOS_SANDBOX: input.sandbox,
    MESOS_DIRECTORY: input.sandbox,
    MESOS_TASK_ID: input.taskId,
    MESOS_FRAMEWORK_ID: input.frameworkId,
    MESOS_AGENT_ID: input.agentId,
    MESOS_SLAVE_ID: input.agentId,
    MESOS_EXECUTOR_ID: input.executorId,
  };
  const skipped: string[] = [];
  for (const variable of input.command.environment?.variables ?? []) {
    if (variable.type === 'SECRET' || variable.value === undefined) {
      skipped.push(variable.name);
      continue;
    }
    env[variable.name] = variable.value;
  }
  return { env, skipped };
}
