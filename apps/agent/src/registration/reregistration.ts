/**
 * The `reregister` message with as many tasks as fit on the bus. Every bus message stays under
 * 64 KiB (encodeBusMessage refuses bigger ones); an agent running thousands of tasks would
 * exceed that, so tasks are added until the next would not fit: running tasks first, since
 * those are what the master must account for, then finished ones still waiting for
 * acknowledgement. The caller logs what was left out. Pure.
 */
import { type AgentTask, isTerminalState, MAX_BUS_MESSAGE_BYTES, type ReregisterAgent } from '@agora/protocol';
import type { LaunchedFramework } from '../tasks/task-run';

export interface ReregistrationTask {
  readonly framework: LaunchedFramework;
  readonly task: AgentTask;
}

export interface Reregistration {
  readonly message: ReregisterAgent;
  /** Tasks that did not fit. */
  readonly omitted: number;
}

const encoder = new TextEncoder();
const size = (value: unknown): number => encoder.encode(JSON.stringify(value)).length;

export function buildReregistration(
  base: Omit<ReregisterAgent, 'frameworks' | 'executors' | 'tasks'>,
  tasks: readonly ReregistrationTask[],
  maxBytes: number = MAX_BUS_MESSAGE_BYTES,
): Reregistration {
  const ordered = [...tasks].sort((a, b) => Number(isTerminalState(a.task.state)) - Number(isTerminalState(b.task.state)));
  const frameworks: LaunchedFramework[] = [];
  const included: AgentTask[] = [];
  const seen = new Set<string>();
  // JSON.stringify adds no whitespace, so each element adds its own size plus a comma.
  let total = size({ ...base, frameworks: [], tasks: [] });
  let omitted = 0;
  for (const { framework, task } of ordered) {
    const newFramework = !seen.has(framework.id.value);
    const growth =
      size(task) + (included.length > 0 ? 1 : 0) + (newFramework ? size(framework) + (frameworks.length > 0 ? 1 : 0) : 0);
    if (total + growth >= maxBytes) {
      omitted++;
      continue;
    }
    total += growth;
    included.push(task);
    if (newFramework) {
      seen.add(framework.id.value);
      frameworks.push(framework);
    }
  }
  return { message: { ...base, frameworks, tasks: included }, omitted };
}
