/**
 * What the workload scheduler knows about its tasks, kept apart from any one scheduler
 * instance: a failed-over scheduler takes over the book of the one it replaces, as a real
 * framework keeps its tasks in its own store. Also the evidence the checks read: every state
 * each task went through, every acknowledged update uuid, and every update that came again
 * after its acknowledgement was accepted.
 */
import { isTerminalState } from './task-states';

export type TaskKind = 'short' | 'long' | 'probe';

export interface TaskRecord {
  readonly id: string;
  readonly kind: TaskKind;
  readonly agentId: string;
  readonly hostname: string;
  readonly cpus: number;
  readonly mem: number;
  /** When ACCEPT was sent (epoch ms). */
  readonly launchedAt: number;
  /** The ACCEPT answer: undefined while in flight, else its HTTP status (0: no answer). */
  acceptStatus?: number;
  /** States in the order the scheduler saw them (reconciliation answers included). */
  readonly states: string[];
  latest?: string;
  reason?: string;
  firstRunningAt?: number;
}

export interface Redelivery {
  readonly taskId: string;
  readonly state: string;
  readonly uuid: string;
  readonly ackedAt: number;
  readonly at: number;
}

export class TaskBook {
  frameworkId?: string;
  /** Every framework id a SUBSCRIBED gave: more than one means the framework was not failed over but replaced. */
  readonly frameworkIds = new Set<string>();
  readonly tasks = new Map<string, TaskRecord>();
  /** uuid → when its ACKNOWLEDGE was answered 202. */
  readonly acked = new Map<string, number>();
  readonly redeliveries: Redelivery[] = [];
  private seq = 0;
  private readonly watchers = new Set<() => void>();

  /** The next task number: ids stay unique across scheduler instances. */
  nextSeq(): number {
    return ++this.seq;
  }

  add(task: TaskRecord): void {
    this.tasks.set(task.id, task);
    this.changed();
  }

  /** Records an UPDATE; returns false for a task this book never launched. */
  record(taskId: string, state: string, reason: string | undefined, uuid: string | undefined, now: number): boolean {
    const task = this.tasks.get(taskId);
    if (task === undefined) return false;
    if (uuid !== undefined) {
      const ackedAt = this.acked.get(uuid);
      if (ackedAt !== undefined) this.redeliveries.push({ taskId, state, uuid, ackedAt, at: now });
    }
    task.states.push(state);
    // A reconciliation answer can overtake the acknowledgement of a terminal update (they are
    // separate calls): the master, its task already acknowledged and gone, then answers
    // TASK_GONE for a task the scheduler knows FINISHED. A framework keeps the terminal state it
    // has, as Marathon does; the answer stays in the history.
    if (reason === 'REASON_RECONCILIATION' && task.latest !== undefined && isTerminalState(task.latest)) {
      this.changed();
      return true;
    }
    task.latest = state;
    task.reason = reason;
    if (state === 'TASK_RUNNING' && task.firstRunningAt === undefined) task.firstRunningAt = now;
    this.changed();
    return true;
  }

  acknowledged(uuid: string, now: number): void {
    this.acked.set(uuid, now);
  }

  /** Tasks not known to be terminal (to reconcile). */
  live(): TaskRecord[] {
    return [...this.tasks.values()].filter((t) => t.latest === undefined || !isTerminalState(t.latest));
  }

  /** Resolves when `check` holds, re-checked on every change; rejects after `timeoutMs` with `what`. */
  waitFor(what: string, check: () => boolean, timeoutMs: number): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const watcher = (): void => {
        if (!check()) return;
        cleanup();
        resolve();
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`${what}: not within ${timeoutMs / 1000} s`));
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.watchers.delete(watcher);
      };
      this.watchers.add(watcher);
    });
  }

  private changed(): void {
    for (const w of [...this.watchers]) w();
  }
}
