/**
 * Each task's JSON text, kept between whole-state answers. At 100,000 running tasks almost none
 * changes between two `/state` requests, yet rendering and serializing them all was most of the
 * answer's time; with this memo only changed tasks are rendered again.
 *
 * A task record's rendered fields are fixed at launch (id, info, framework, agent, role,
 * resources) except its state, its statuses (only ever appended to) and, for the v1 form, the
 * state and uuid of its unacknowledged update; a fragment is reused only while those are what
 * they were when it was made. Entries live as long as their task record (a WeakMap), so removed
 * tasks cost nothing. No I/O; the memo is the only state.
 */
import type { OperatorTask } from '@agora/protocol';
import type { TaskRecord } from '../../cluster/records';
import { renderV1Task } from '../v1/render/entities';
import { renderTask } from './entities';
import type { TaskJson } from './json';
import { rawAs } from './json-parts';

interface Fragment {
  readonly state: string;
  readonly statuses: number;
  readonly updateState: string | undefined;
  readonly updateUuid: string | undefined;
  readonly text: string;
}

export class TaskFragments {
  private readonly v0 = new WeakMap<TaskRecord, Fragment>();
  private readonly v1 = new WeakMap<TaskRecord, Fragment>();

  /** The task as `/state` shows it, as a stand-in for jsonParts(). */
  readonly v0Task = (task: TaskRecord): TaskJson => rawAs<TaskJson>(this.text(this.v0, task, () => JSON.stringify(renderTask(task))));

  /** The task as GET_STATE shows it, as a stand-in for jsonParts(). */
  readonly v1Task = (task: TaskRecord): OperatorTask => rawAs<OperatorTask>(this.text(this.v1, task, () => JSON.stringify(renderV1Task(task))));

  private text(memo: WeakMap<TaskRecord, Fragment>, task: TaskRecord, render: () => string): string {
    const known = memo.get(task);
    if (
      known !== undefined &&
      known.state === task.state &&
      known.statuses === task.statuses.length &&
      known.updateState === task.statusUpdateState &&
      known.updateUuid === task.statusUpdateUuid
    ) {
      return known.text;
    }
    const text = render();
    memo.set(task, { state: task.state, statuses: task.statuses.length, updateState: task.statusUpdateState, updateUuid: task.statusUpdateUuid, text });
    return text;
  }
}
