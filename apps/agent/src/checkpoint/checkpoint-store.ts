/**
 * The agent's checkpoint (DESIGN §7, reference §5.4), for frameworks with `checkpoint: true`
 * only, under `<work_dir>/meta/`:
 *
 *   frameworks/<framework>/framework.json              FrameworkInfo (with its id)
 *   frameworks/<framework>/tasks/<task>/task.json      TaskInfo and its run (driver, container, pid,
 *                                                      start time, boot id, sandbox, exit file)
 *   frameworks/<framework>/tasks/<task>/task.updates   the status-update journal (journal-replay.ts),
 *                                                      also for the tasks of custom executors
 *   frameworks/<framework>/executors/<executor>/executor.json
 *                                                      a custom executor: ExecutorInfo, its run, its TaskInfos;
 *                                                      or a default executor (task groups, `kind: default`):
 *                                                      its groups and each task's run
 *   runs/<container>/exit                              written by agora-launcher when the task ends
 *   runs/<executor container>/<task container>/exit    the same for a task of a task group
 *
 * Writes are synchronous and durable (fsync, and tmp + rename for whole files) because they
 * must be on disk before the agent acts on them: task.json before TASK_RUNNING is sent, an
 * update before it is forwarded. Tasks of other frameworks never touch the disk here, so the
 * hot path of a busy agent stays as cheap as before. Ids are URI-encoded into file names.
 */
import { Injectable, Logger } from '@nestjs/common';
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ExecutorInfo, TaskInfo } from '@agora/protocol';
import { AgentProfile } from '../machine/agent-profile';
import type { LaunchedFramework } from '../tasks/task-run';
import { journalLine, type JournalRecord, type Replay, replayJournal } from './journal-replay';

/** A task's run as checkpointed: enough to find its process or container again. */
export interface RunCheckpoint {
  readonly driver: string;
  readonly containerId: string;
  readonly executorId: string;
  readonly sandbox?: string;
  readonly pid?: number;
  readonly startTime?: number;
  readonly bootId?: string;
  readonly exitFile?: string;
}

export interface TaskCheckpoint {
  readonly info: TaskInfo;
  readonly run: RunCheckpoint;
}

/**
 * An executor of a checkpointing framework, and the tasks it was given: a custom executor (its
 * own run, a process or container), or the built-in default executor of task groups
 * (`kind: 'default'`), which has no process of its own: its `run` names its container and
 * sandbox, and each task's run is in `taskRuns` once it was started.
 */
export interface ExecutorCheckpoint {
  readonly info: ExecutorInfo;
  readonly run: RunCheckpoint;
  readonly tasks: readonly TaskInfo[];
  /** Absent: a custom executor. */
  readonly kind?: 'default';
  /** Default executor: the task ids of each task group, in launch order. */
  readonly groups?: readonly (readonly string[])[];
  /** Default executor: the run of each started task, by task id. */
  readonly taskRuns?: Readonly<Record<string, RunCheckpoint>>;
}

export interface CheckpointedTask {
  readonly taskId: string;
  /** Undefined when the agent died before the task's first checkpoint was complete. */
  readonly checkpoint?: TaskCheckpoint;
  readonly journal: Replay;
}

export interface CheckpointedFramework {
  readonly info: LaunchedFramework;
  /** Every task with a directory: command tasks (with their checkpoint) and executors' tasks (journal only). */
  readonly tasks: readonly CheckpointedTask[];
  readonly executors: readonly ExecutorCheckpoint[];
}

const name = (id: string): string => encodeURIComponent(id);

@Injectable()
export class CheckpointStore {
  private readonly logger = new Logger('checkpoint');
  readonly root: string;
  /** Frameworks whose tasks are checkpointed (set when their first task arrives, or at recovery). */
  private readonly frameworks = new Set<string>();

  constructor(profile: AgentProfile) {
    this.root = join(profile.workDir, 'meta');
  }

  /** Whether this framework's tasks are checkpointed; cheap, called for every status update. */
  checkpointing(frameworkId: string): boolean {
    return this.frameworks.has(frameworkId);
  }

  /** Records a checkpointing framework (framework.json); newest info wins. */
  writeFramework(info: LaunchedFramework): void {
    this.frameworks.add(info.id.value);
    writeDurably(join(this.frameworkDir(info.id.value), 'framework.json'), JSON.stringify(info));
  }

  /** Marks a framework recovered from disk as checkpointing, without rewriting it. */
  adoptFramework(frameworkId: string): void {
    this.frameworks.add(frameworkId);
  }

  writeTask(frameworkId: string, taskId: string, checkpoint: TaskCheckpoint): void {
    writeDurably(join(this.taskDir(frameworkId, taskId), 'task.json'), JSON.stringify(checkpoint));
  }

  writeExecutor(frameworkId: string, executorId: string, checkpoint: ExecutorCheckpoint): void {
    writeDurably(join(this.frameworkDir(frameworkId), 'executors', name(executorId), 'executor.json'), JSON.stringify(checkpoint));
  }

  /** Forgets an executor that ended (its tasks' checkpoints go with their streams). Idempotent. */
  removeExecutor(frameworkId: string, executorId: string, containerId?: string): void {
    if (!this.frameworks.has(frameworkId)) return;
    try {
      rmSync(join(this.frameworkDir(frameworkId), 'executors', name(executorId)), { recursive: true, force: true });
      if (containerId !== undefined) rmSync(join(this.root, 'runs', name(containerId)), { recursive: true, force: true });
    } catch (e) {
      this.logger.warn(`could not remove the checkpoint of executor ${executorId}: ${(e as Error).message}`);
    }
  }

  /**
   * Where agora-launcher writes the task's exit status; its directory is created now. A task of
   * a task group (`parent`: the default executor's container) has it under its executor's, so
   * that it goes with the executor's checkpoint (removeExecutor).
   */
  prepareExitFile(containerId: string, parent?: string): string {
    const dir = parent === undefined ? join(this.root, 'runs', name(containerId)) : join(this.root, 'runs', name(parent), name(containerId));
    mkdirSync(dir, { recursive: true });
    return join(dir, 'exit');
  }

  /** Appends one record to the task's journal and waits for the disk. */
  append(frameworkId: string, taskId: string, record: JournalRecord): void {
    const dir = this.taskDir(frameworkId, taskId);
    mkdirSync(dir, { recursive: true });
    const fd = openSync(join(dir, 'task.updates'), 'a');
    try {
      writeSync(fd, journalLine(record));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  /** Forgets a task that is over (its terminal update was acknowledged, or nobody will acknowledge it). Idempotent. */
  removeTask(frameworkId: string, taskId: string, containerId?: string): void {
    if (!this.frameworks.has(frameworkId)) return;
    try {
      rmSync(this.taskDir(frameworkId, taskId), { recursive: true, force: true });
      if (containerId !== undefined) rmSync(join(this.root, 'runs', name(containerId)), { recursive: true, force: true });
    } catch (e) {
      this.logger.warn(`could not remove the checkpoint of task ${taskId}: ${(e as Error).message}`);
    }
  }

  /** Everything checkpointed; unreadable entries are logged and skipped, never thrown. */
  async readAll(): Promise<CheckpointedFramework[]> {
    const frameworks: CheckpointedFramework[] = [];
    for (const dir of await entries(join(this.root, 'frameworks'))) {
      const frameworkDir = join(this.root, 'frameworks', dir);
      const info = await readJson<LaunchedFramework>(join(frameworkDir, 'framework.json'));
      if (info === undefined || typeof info.id?.value !== 'string') {
        this.logger.warn(`ignoring ${frameworkDir}: no readable framework.json`);
        continue;
      }
      const tasks: CheckpointedTask[] = [];
      for (const taskDir of await entries(join(frameworkDir, 'tasks'))) {
        const path = join(frameworkDir, 'tasks', taskDir);
        const checkpoint = await readJson<TaskCheckpoint>(join(path, 'task.json'));
        const journal = replayJournal(await readFile(join(path, 'task.updates'), 'utf8').catch(() => ''));
        if (journal.skipped > 0) this.logger.warn(`${path}/task.updates: skipped ${journal.skipped} unreadable line(s)`);
        const taskId = checkpoint?.info.task_id.value ?? journal.statuses[0]?.task_id.value ?? decodeURIComponent(taskDir);
        tasks.push({ taskId, ...(isTaskCheckpoint(checkpoint) ? { checkpoint } : {}), journal });
      }
      const executors: ExecutorCheckpoint[] = [];
      for (const executorDir of await entries(join(frameworkDir, 'executors'))) {
        const checkpoint = await readJson<ExecutorCheckpoint>(join(frameworkDir, 'executors', executorDir, 'executor.json'));
        if (isExecutorCheckpoint(checkpoint)) executors.push(checkpoint);
        else this.logger.warn(`ignoring executor ${decodeURIComponent(executorDir)} of framework ${info.id.value}: no readable executor.json`);
      }
      frameworks.push({ info, tasks, executors });
    }
    return frameworks;
  }

  /** Drops every task checkpoint and exit file (`--recover=cleanup`); the agent's own meta stays. */
  async clear(): Promise<void> {
    await rm(join(this.root, 'frameworks'), { recursive: true, force: true });
    await rm(join(this.root, 'runs'), { recursive: true, force: true });
    this.frameworks.clear();
  }

  private frameworkDir(frameworkId: string): string {
    return join(this.root, 'frameworks', name(frameworkId));
  }

  private taskDir(frameworkId: string, taskId: string): string {
    return join(this.frameworkDir(frameworkId), 'tasks', name(taskId));
  }
}

/** Replaces `path` with `text` so that a crash leaves the old file or the new one, never half of one. */
function writeDurably(path: string, text: string): void {
  mkdirSync(join(path, '..'), { recursive: true });
  const temporary = `${path}.tmp`;
  const fd = openSync(temporary, 'w');
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, path);
}

async function entries(dir: string): Promise<string[]> {
  return readdir(dir).catch(() => []);
}

async function readJson<T>(path: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

function isExecutorCheckpoint(value: ExecutorCheckpoint | undefined): value is ExecutorCheckpoint {
  return (
    value !== undefined &&
    typeof value.info?.executor_id?.value === 'string' &&
    typeof value.run?.containerId === 'string' &&
    typeof value.run.driver === 'string' &&
    Array.isArray(value.tasks)
  );
}

function isTaskCheckpoint(value: TaskCheckpoint | undefined): value is TaskCheckpoint {
  return (
    value !== undefined &&
    typeof value.info?.task_id?.value === 'string' &&
    typeof value.run?.containerId === 'string' &&
    typeof value.run.driver === 'string' &&
    typeof value.run.executorId === 'string'
  );
}
