import { Injectable } from '@nestjs/common';
import type { ExecutorInfo } from '@agora/protocol';
import { MAX_COMPLETED_EXECUTORS_PER_FRAMEWORK, MAX_COMPLETED_FRAMEWORKS } from '../tasks/task-registry';
import type { LaunchedFramework, TaskRun } from '../tasks/task-run';
import { type ExecutorRun, MAX_COMPLETED_TASKS_PER_EXECUTOR } from './executor-run';

export interface ExecutorFramework {
  info: LaunchedFramework;
  /** By executor id. */
  readonly executors: Map<string, ExecutorRun>;
}

export interface CompletedExecutors {
  info: LaunchedFramework;
  /** Oldest first, bounded. */
  readonly executors: ExecutorRun[];
}

/**
 * The custom and default executors this agent runs, by framework, and a bounded history of
 * finished ones for /state. An executor is live from its first task until it ended and every
 * task of it was acknowledged (or silenced); a framework is live while it has live executors.
 * Task ids are unique per framework, across executors. Bookkeeping only: no I/O, no timers.
 */
@Injectable()
export class ExecutorRegistry {
  private readonly live = new Map<string, ExecutorFramework>();
  /** Insertion order is completion order, for trimming. */
  private readonly history = new Map<string, CompletedExecutors>();
  private readonly retiredListeners: ((run: ExecutorRun) => void)[] = [];

  /** Observes executors leaving the live set (their sandbox is no longer used: it may be collected). */
  onRetired(listener: (run: ExecutorRun) => void): void {
    this.retiredListeners.push(listener);
  }

  /** Records (or refreshes, newest wins) what a framework told about itself. */
  rememberFramework(info: LaunchedFramework): ExecutorFramework {
    let entry = this.live.get(info.id.value);
    if (entry === undefined) {
      entry = { info, executors: new Map() };
      this.live.set(info.id.value, entry);
    } else {
      entry.info = info;
    }
    return entry;
  }

  add(run: ExecutorRun): void {
    const entry = this.live.get(run.frameworkId);
    if (entry === undefined) throw new Error(`framework ${run.frameworkId} must be remembered before its executors`);
    entry.executors.set(run.executorId, run);
  }

  framework(frameworkId: string): ExecutorFramework | undefined {
    return this.live.get(frameworkId);
  }

  frameworks(): ExecutorFramework[] {
    return [...this.live.values()];
  }

  executor(frameworkId: string, executorId: string): ExecutorRun | undefined {
    return this.live.get(frameworkId)?.executors.get(executorId);
  }

  executors(): ExecutorRun[] {
    return this.frameworks().flatMap((f) => [...f.executors.values()]);
  }

  /** The live executor holding task `taskId` of a framework (its tasks awaiting acknowledgement included). */
  ownerOf(frameworkId: string, taskId: string): ExecutorRun | undefined {
    for (const run of this.live.get(frameworkId)?.executors.values() ?? []) {
      if (run.tasks.has(taskId)) return run;
    }
    return undefined;
  }

  /** Moves a task whose terminal update was acknowledged into its executor's completed tasks. */
  completeTask(run: ExecutorRun, taskId: string): void {
    const task = run.tasks.get(taskId);
    if (task === undefined) return;
    run.tasks.delete(taskId);
    run.completedTasks.push(task);
    if (run.completedTasks.length > MAX_COMPLETED_TASKS_PER_EXECUTOR) run.completedTasks.shift();
  }

  /** Moves an executor to the history; its framework follows when it has no live executors left. */
  retire(run: ExecutorRun): void {
    const entry = this.live.get(run.frameworkId);
    if (entry === undefined || entry.executors.get(run.executorId) !== run) return;
    entry.executors.delete(run.executorId);
    let done = this.history.get(run.frameworkId);
    if (done === undefined) {
      done = { info: entry.info, executors: [] };
    } else {
      this.history.delete(run.frameworkId); // re-inserted below as the most recent
      done.info = entry.info;
    }
    this.history.set(run.frameworkId, done);
    done.executors.push(run);
    if (done.executors.length > MAX_COMPLETED_EXECUTORS_PER_FRAMEWORK) done.executors.shift();
    if (entry.executors.size === 0) this.live.delete(run.frameworkId);
    while (this.history.size > MAX_COMPLETED_FRAMEWORKS) {
      const oldest = this.history.keys().next().value as string;
      this.history.delete(oldest);
    }
    for (const listener of this.retiredListeners) listener(run);
  }

  /** Finished executors of a framework, oldest first. */
  completedExecutors(frameworkId: string): readonly ExecutorRun[] {
    return this.history.get(frameworkId)?.executors ?? [];
  }

  /** Frameworks with finished executors and none live. */
  completedFrameworks(): CompletedExecutors[] {
    return [...this.history.entries()].filter(([id]) => !this.live.has(id)).map(([, f]) => f);
  }

  /**
   * The live tasks by framework, shaped like TaskRegistry's entries, for re-registration (the
   * master rebuilds its view of an agent's tasks from them).
   */
  taskEntries(): { info: LaunchedFramework; runs: Map<string, TaskRun> }[] {
    return this.frameworks().map((f) => ({
      info: f.info,
      runs: new Map([...f.executors.values()].flatMap((run) => [...run.tasks])),
    }));
  }
}

/**
 * The executors a re-registering agent reports (ReregisterAgent.executors, each with its
 * `framework_id`), so a new leader accounts for their resources: those not ended and not
 * silenced, without their opaque `data`. `bytes` is what they add to the bus message, which
 * the tasks must leave room for.
 */
export function reregisteringExecutors(registry: ExecutorRegistry): { executors: ExecutorInfo[]; bytes: number } {
  const executors = registry
    .executors()
    .filter((run) => !run.silenced && run.phase !== 'terminated')
    .map(({ info }) => {
      const { data: _data, ...rest } = info;
      return rest;
    });
  return { executors, bytes: executors.length === 0 ? 0 : new TextEncoder().encode(JSON.stringify({ executors })).length };
}
