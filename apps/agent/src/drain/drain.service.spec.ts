import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { AgoraBus, InProcessTransport } from '@agora/bus';
import type { KillTask, RunTask, StatusUpdate, TaskStatus } from '@agora/protocol';
import { FakeClock } from '../clock/fake-clock';
import { loadAgentConfig } from '../config/agent.config';
import type { ExecutorRegistry } from '../executors/executor-registry';
import type { ExecutorsService } from '../executors/executors.service';
import { AgentSession } from '../session/agent-session';
import { InMemoryJournal } from '../status-updates/status-update-journal';
import { StatusUpdateManager } from '../status-updates/status-update-manager';
import type { CommandExecutorService } from '../tasks/command-executor.service';
import type { TaskRegistry } from '../tasks/task-registry';
import type { TaskRun } from '../tasks/task-run';
import { DrainService } from './drain.service';

const FW = { id: { value: 'fw' }, user: 'u', name: 'n', capabilities: [{ type: 'PARTITION_AWARE' as const }] };

function run(taskId: string, extra: Partial<TaskRun> = {}): TaskRun {
  return {
    frameworkId: 'fw',
    taskId,
    info: { name: taskId, task_id: { value: taskId }, agent_id: { value: 'a1' } },
    executorId: taskId,
    containerId: `c-${taskId}`,
    state: 'TASK_RUNNING',
    phase: 'running',
    statuses: [],
    silenced: false,
    finished: Promise.resolve(),
    ...extra,
  };
}

/** The drain service over a real status-update manager; the task registries and kill paths are stand-ins. */
function setup(runs: TaskRun[], executorRuns: TaskRun[] = []) {
  const clock = new FakeClock();
  const session = new AgentSession();
  session.agentId = 'a1';
  const bus = new AgoraBus(new InProcessTransport());
  const sent: StatusUpdate[] = [];
  const exited: string[] = [];
  jest.spyOn(bus, 'toMaster').mockImplementation((kind, message) => {
    if (kind === 'status-update') sent.push(message as StatusUpdate);
    if (kind === 'executor-exited') exited.push((message as { executor_id: { value: string } }).executor_id.value);
  });
  const statusUpdates = new StatusUpdateManager(bus, clock, session, loadAgentConfig({}, {}), new InMemoryJournal());
  statusUpdates.resume();
  const live = new Map(runs.map((r) => [r.taskId, r]));
  const registry = { frameworks: () => (live.size > 0 ? [{ info: FW, runs: live }] : []), framework: () => ({ info: FW, runs: live }) };
  const executorLive = new Map(executorRuns.map((r) => [r.taskId, r]));
  const executorRegistry = {
    taskEntries: () => (executorLive.size > 0 ? [{ info: FW, runs: executorLive }] : []),
    framework: () => ({ info: FW, executors: new Map([['running-executor', {}]]) }),
  };
  const executorKills: KillTask[] = [];
  const executors = { kill: jest.fn((k: KillTask) => executorLive.has(k.task_id.value) && executorKills.push(k) > 0) };
  const tasks = { kill: jest.fn() };
  const drains = new DrainService(
    bus,
    session,
    clock,
    statusUpdates,
    tasks as unknown as CommandExecutorService,
    executors as unknown as ExecutorsService,
    registry as unknown as TaskRegistry,
    executorRegistry as unknown as ExecutorRegistry,
  );
  return { drains, statusUpdates, sent, exited, tasks, executorKills, live };
}

const endOfTick = (): Promise<void> => new Promise((resolve) => process.nextTick(resolve));
const killed = (task: string): TaskStatus & { uuid: string } => ({ task_id: { value: task }, state: 'TASK_KILLED', reason: 'REASON_COMMAND_EXECUTOR_FAILED', uuid: `u-${task}` });

describe('DrainService', () => {
  beforeAll(() => Logger.overrideLogger(false));

  it('kills every live task through its kill path, each with a grace of at most max_grace_period', () => {
    const h = setup(
      [run('long', { info: { name: 'l', task_id: { value: 'long' }, agent_id: { value: 'a1' }, kill_policy: { grace_period: { nanoseconds: 60e9 } } } }), run('short', { info: { name: 's', task_id: { value: 'short' }, agent_id: { value: 'a1' }, kill_policy: { grace_period: { nanoseconds: 1e9 } } } }), run('done', { phase: 'terminated', state: 'TASK_FINISHED' })],
      [run('custom')],
    );
    h.drains.drain({ epoch: 2, config: { max_grace_period: { nanoseconds: 5e9 } } });
    expect(h.drains.draining).toBe(true);
    expect(h.tasks.kill.mock.calls.map(([k]: [KillTask]) => [k.task_id.value, k.kill_policy])).toEqual([
      ['long', { grace_period: { nanoseconds: 5e9 } }],
      ['short', undefined],
    ]);
    expect(h.executorKills.map((k) => [k.task_id.value, k.kill_policy, k.epoch])).toEqual([['custom', { grace_period: { nanoseconds: 5e9 } }, 2]]);
  });

  it('marks kill updates while draining: REASON_AGENT_DRAINING, and TASK_GONE_BY_OPERATOR with mark_gone for a partition-aware framework', async () => {
    const h = setup([run('t1'), run('t2')]);
    h.statusUpdates.update('fw', killed('before'));
    h.drains.drain({ epoch: 1, config: { mark_gone: true } });
    h.statusUpdates.update('fw', killed('t1'));
    await endOfTick();
    expect(h.sent.map((u) => [u.status.task_id.value, u.status.state, u.status.reason])).toEqual([
      ['before', 'TASK_KILLED', 'REASON_COMMAND_EXECUTOR_FAILED'],
      ['t1', 'TASK_GONE_BY_OPERATOR', 'REASON_AGENT_DRAINING'],
    ]);
  });

  it('refuses launches while draining (TASK_DROPPED, REASON_AGENT_DRAINING) and takes them again once drained', async () => {
    const h = setup([run('t1')]);
    const launch: RunTask = { epoch: 1, framework: FW, task: { name: 'new', task_id: { value: 'new' }, agent_id: { value: 'a1' } } };
    expect(h.drains.refuses(launch)).toBe(false);
    h.drains.drain({ epoch: 1, config: {} });
    expect(h.drains.refuses(launch)).toBe(true);
    await endOfTick();
    expect(h.sent.map((u) => [u.status.task_id.value, u.status.state, u.status.reason])).toEqual([['new', 'TASK_DROPPED', 'REASON_AGENT_DRAINING']]);
    // The last task's terminal update is acknowledged and it retires: the drain is over.
    h.statusUpdates.update('fw', killed('t1'));
    await endOfTick();
    const uuid = h.sent[h.sent.length - 1].status.uuid as string;
    h.live.delete('t1');
    h.statusUpdates.acknowledge('fw', 't1', uuid);
    await endOfTick();
    expect(h.drains.draining).toBe(false);
    expect(h.drains.refuses(launch)).toBe(false);
  });

  it('tells the master a refused task group\'s new executor never started; a running executor keeps its resources', () => {
    const h = setup([run('t1')]);
    h.drains.drain({ epoch: 1, config: {} });
    const group = (executorId: string) => ({
      epoch: 1,
      framework: FW,
      executor: { executor_id: { value: executorId }, type: 'DEFAULT' as const, framework_id: FW.id },
      task_group: { tasks: [{ name: 'g', task_id: { value: `g-${executorId}` }, agent_id: { value: 'a1' } }] },
    });
    expect(h.drains.refuses(group('new-executor'))).toBe(true);
    expect(h.drains.refuses(group('running-executor'))).toBe(true);
    expect(h.exited).toEqual(['new-executor']);
  });

  it('an agent with no task is drained already', () => {
    const h = setup([]);
    h.drains.drain({ epoch: 1, config: { mark_gone: true } });
    expect(h.drains.draining).toBe(false);
  });
});
