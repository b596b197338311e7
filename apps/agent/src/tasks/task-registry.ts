import { Injectable } from '@nestjs/common';
import type { LaunchedFramework, TaskRun } from './task-run';

/** Mesos keeps this many completed executors per framework and completed frameworks for /state. */
export const MAX_COMPLETED_EXECUTORS_PER_FRAMEWORK = 150;
export const MAX_COMPLETED_FRAMEWORKS = 50;

export interface FrameworkEntry {
  info: LaunchedFramework;
  readonly runs: Map<string, TaskRun>;
}

export interface CompletedFramework {
  info: LaunchedFramework;
  /** Oldest first, bounded. */
  readonly runs: TaskRun[];
}

/**
 * The tasks this agent holds, by framework, and a bounded history of finished ones. A task is
 * live from `run-task` until its terminal update is acknowledged (or, for a framework that was
 * shut down, until it ended); then it moves to the history, where `/state` still shows its
 * sandbox directory. A framework is live while it has live tasks. Bookkeeping only.
 */
@Injectable()
export class TaskRegistry {
  private readonly live = new Map<string, FrameworkEntry>();
  /** Insertion order is completion order, for trimming. */
  private readonly history = new Map<string, CompletedFramework>();
  private readonly completedListeners: ((run: TaskRun) => void)[] = [];

  /** Observes tasks moving to the history (the sandbox collector schedules their sandboxes). */
  onCompleted(listener: (run: TaskRun) => void): void {
    this.completedListeners.push(listener);
  }

  /** Records (or refreshes, newest wins) what a framework told about itself. */
  rememberFramework(info: LaunchedFramework): FrameworkEntry {
    let entry = this.live.get(info.id.value);
    if (entry === undefined) {
      entry = { info, runs: new Map() };
      this.live.set(info.id.value, entry);
    } else {
      entry.info = info;
    }
    return entry;
  }

  add(run: TaskRun): void {
    const entry = this.live.get(run.frameworkId);
    if (entry === undefined) throw new Error(`framework ${run.frameworkId} must be remembered before its tasks`);
    entry.runs.set(run.taskId, run);
  }

  get(frameworkId: string, taskId: string): TaskRun | undefined {
    return this.live.get(frameworkId)?.runs.get(taskId);
  }

  framework(frameworkId: string): FrameworkEntry | undefined {
    return this.live.get(frameworkId);
  }

  frameworks(): FrameworkEntry[] {
    return [...this.live.values()];
  }

  runs(): TaskRun[] {
    return this.frameworks().flatMap((f) => [...f.runs.values()]);
  }

  /** Moves a live task to the history; its framework follows when it has no live tasks left. */
  complete(frameworkId: string, taskId: string): void {
    const entry = this.live.get(frameworkId);
    const run = entry?.runs.get(taskId);
    if (entry === undefined || run === undefined) return;
    entry.runs.delete(taskId);
    let done = this.history.get(frameworkId);
    if (done === undefined) {
      done = { info: entry.info, runs: [] };
    } else {
      this.history.delete(frameworkId); // re-inserted below as the most recent
      done.info = entry.info;
    }
    this.history.set(frameworkId, done);
    done.runs.push(run);
    if (done.runs.length > MAX_COMPLETED_EXECUTORS_PER_FRAMEWORK) done.runs.shift();
    if (entry.runs.size === 0) this.live.delete(frameworkId);
    while (this.history.size > MAX_COMPLETED_FRAMEWORKS) {
      const oldest = this.history.keys().next().value as string;
      this.history.delete(oldest);
    }
    for (const listener of this.completedListeners) listener(run);
  }

  /**
   * Drops finished tasks from the history (their sandbox was garbage collected); a completed
   * framework left without tasks goes too. Returns how many were dropped.
   */
  forgetCompleted(test: (run: TaskRun) => boolean): number {
    let dropped = 0;
    for (const [id, done] of [...this.history]) {
      const kept = done.runs.filter((run) => !test(run));
      dropped += done.runs.length - kept.length;
      done.runs.splice(0, done.runs.length, ...kept);
      if (kept.length === 0) this.history.delete(id);
    }
    return dropped;
  }

  /** Finished tasks of a framework, oldest first. */
  completedRuns(frameworkId: string): readonly TaskRun[] {
    return this.history.get(frameworkId)?.runs ?? [];
  }

  /** Frameworks with finished tasks and none live. */
  completedFrameworks(): CompletedFramework[] {
    return [...this.history.entries()].filter(([id]) => !this.live.has(id)).map(([, f]) => f);
  }
}
