import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AgoraBus, InProcessTransport } from '@agora/bus';
import type { TaskState, TaskStatus } from '@agora/protocol';
import { Resources, toV1 } from '@agora/resources';
import { CheckpointStore, type TaskCheckpoint } from '../checkpoint/checkpoint-store';
import { CheckpointingJournal } from '../checkpoint/checkpointing-journal';
import { FakeClock } from '../clock/fake-clock';
import { loadAgentConfig } from '../config/agent.config';
import type { DockerSupport } from '../drivers/docker/docker-support';
import type { ExecutorsService } from '../executors/executors.service';
import { AgentProfile } from '../machine/agent-profile';
import { AgentMetaStore } from '../registration/agent-meta.store';
import { AgentSession } from '../session/agent-session';
import { StatusUpdateManager } from '../status-updates/status-update-manager';
import type { CommandExecutorService } from '../tasks/command-executor.service';
import type { LaunchedFramework } from '../tasks/task-run';
import { type RecoverMode } from './recovery-plan';
import { RecoveryService } from './recovery.service';

/** RecoveryService over a real checkpoint on disk, with the command executor and Docker faked. */
describe('RecoveryService', () => {
  beforeAll(() => Logger.overrideLogger(false));

  let workDir: string;
  let profile: AgentProfile;
  let store: CheckpointStore;
  let session: AgentSession;
  let statusUpdates: StatusUpdateManager;
  let adopt: jest.Mock;
  let killAll: jest.Mock;
  let adoptExecutor: jest.Mock;
  let adoptDefault: jest.Mock;
  let updates: { frameworkId: string; status: TaskStatus }[];
  let restored: { frameworkId: string; uuids: string[] }[];

  const framework: LaunchedFramework = { id: { value: 'fw' }, user: 'u', name: 'f', checkpoint: true };
  const checkpoint = (taskId: string, pid?: number): TaskCheckpoint => ({
    info: { name: taskId, task_id: { value: taskId }, agent_id: { value: 'agent-1' }, command: { value: 'sleep 9' } },
    run: { driver: 'process', containerId: `c-${taskId}`, executorId: taskId, ...(pid !== undefined ? { pid, startTime: 1 } : {}) },
  });

  beforeEach(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'agora-recovery-service-'));
    profile = new AgentProfile('h', '127.0.0.1', workDir, Resources.parse('cpus:1;mem:64'), []);
    store = new CheckpointStore(profile);
    session = new AgentSession();
    statusUpdates = new StatusUpdateManager(new AgoraBus(new InProcessTransport()), new FakeClock(), session, loadAgentConfig({}, {}), new CheckpointingJournal(store));
    updates = [];
    restored = [];
    jest.spyOn(statusUpdates, 'update').mockImplementation((frameworkId, status) => void updates.push({ frameworkId, status }));
    jest.spyOn(statusUpdates, 'restore').mockImplementation((frameworkId, pending) => void restored.push({ frameworkId, uuids: pending.map((s) => s.uuid) }));
    adopt = jest.fn(async (_f: LaunchedFramework, task: { run: { pid?: number } }) => ({ pid: task.run.pid, phase: 'running' }));
    killAll = jest.fn(async () => undefined);
    adoptExecutor = jest.fn(async () => undefined);
    adoptDefault = jest.fn(async () => [4444]);
  });

  afterEach(() => rm(workDir, { recursive: true, force: true }));

  async function recover(mode: RecoverMode, meta: 'same' | 'other' | 'none' = 'same') {
    const metaStore = new AgentMetaStore(profile);
    if (meta !== 'none') await metaStore.write({ id: 'agent-1', resources: toV1(meta === 'same' ? profile.resources : Resources.parse('cpus:9')) });
    const tasks = { adopt, killAll } as unknown as CommandExecutorService;
    const docker = { available: false } as DockerSupport;
    const executors = { adoptCustom: adoptExecutor, adoptDefault } as unknown as ExecutorsService;
    const service = new RecoveryService(loadAgentConfig({ recover: mode }, {}), profile, session, metaStore, store, tasks, statusUpdates, new FakeClock(), docker, executors);
    service.onModuleInit();
    return service.recover();
  }

  /** A checkpointed task with journaled updates, `acked` of them acknowledged. */
  function journaled(taskId: string, states: TaskState[], acked: number, pid?: number, withTask = true): void {
    store.writeFramework(framework);
    if (withTask) store.writeTask('fw', taskId, checkpoint(taskId, pid));
    states.forEach((state, i) => store.append('fw', taskId, { update: { task_id: { value: taskId }, state, uuid: `${taskId}-${i}` } }));
    for (let i = 0; i < acked; i++) store.append('fw', taskId, { ack: `${taskId}-${i}` });
  }

  it('adopts running tasks under the stored id and restores their unacknowledged updates', async () => {
    journaled('t', ['TASK_STARTING', 'TASK_RUNNING'], 1, 4242);
    const summary = await recover('reconnect');
    expect(summary).toMatchObject({ decision: 'reconnect', recovered: 1, lost: 0 });
    expect(session.agentId).toBe('agent-1');
    expect(restored).toEqual([{ frameworkId: 'fw', uuids: ['t-1'] }]);
    expect(adopt).toHaveBeenCalledWith(framework, expect.objectContaining({ info: checkpoint('t', 4242).info, run: checkpoint('t', 4242).run }));
    expect(store.checkpointing('fw')).toBe(true);
  });

  it('reports a task lost that never got as far as a checkpointed run', async () => {
    journaled('early', ['TASK_STARTING'], 0, undefined);
    expect(await recover('reconnect')).toMatchObject({ recovered: 0, lost: 1 });
    expect(adopt).not.toHaveBeenCalled();
    expect(updates.map((u) => u.status)).toEqual([
      expect.objectContaining({ state: 'TASK_LOST', reason: 'REASON_EXECUTOR_TERMINATED', source: 'SOURCE_AGENT', agent_id: { value: 'agent-1' } }),
    ]);
  });

  it('forgets a task whose terminal update was acknowledged, and only delivers one that was not', async () => {
    journaled('done', ['TASK_RUNNING', 'TASK_FINISHED'], 2, 1);
    journaled('undelivered', ['TASK_RUNNING', 'TASK_FINISHED'], 1, 2, false);
    await recover('reconnect');
    expect(existsSync(join(workDir, 'meta', 'frameworks', 'fw', 'tasks', 'done'))).toBe(false);
    expect(restored).toEqual([{ frameworkId: 'fw', uuids: ['undelivered-1'] }]);
    expect(adopt).not.toHaveBeenCalled();
    expect(updates).toEqual([]);
  });

  it('hands a custom executor its tasks and their journals, and waits for it, instead of reporting them lost', async () => {
    journaled('by-executor', ['TASK_RUNNING'], 0, undefined, false);
    store.writeExecutor('fw', 'ex', {
      info: { executor_id: { value: 'ex' }, command: { value: 'ex' } },
      run: { driver: 'process', containerId: 'c-ex', executorId: 'ex', pid: 4343, startTime: 1 },
      tasks: [checkpoint('by-executor').info],
    });
    expect(await recover('reconnect')).toMatchObject({ recovered: 1, lost: 0 });
    expect(adoptExecutor).toHaveBeenCalledWith(framework, expect.objectContaining({ run: expect.objectContaining({ containerId: 'c-ex' }) }), new Map([['by-executor', [expect.objectContaining({ uuid: 'by-executor-0' })]]]));
    expect(restored).toEqual([{ frameworkId: 'fw', uuids: ['by-executor-0'] }]);
    expect(updates).toEqual([]);
    expect(adopt).not.toHaveBeenCalled();
  });

  it('hands the default executor of task groups its tasks and their journals, not to the custom executors', async () => {
    journaled('in-group', ['TASK_STARTING', 'TASK_RUNNING'], 1, undefined, false);
    store.writeExecutor('fw', 'group', {
      kind: 'default',
      info: { executor_id: { value: 'group' }, type: 'DEFAULT' },
      run: { driver: 'default', containerId: 'c-group', executorId: 'group' },
      tasks: [checkpoint('in-group').info],
      groups: [['in-group']],
      taskRuns: { 'in-group': { ...checkpoint('in-group', 4444).run, containerId: 'c-in-group', executorId: 'group' } },
    });
    expect(await recover('reconnect')).toMatchObject({ recovered: 1, lost: 0 });
    expect(adoptDefault).toHaveBeenCalledWith(
      framework,
      expect.objectContaining({ kind: 'default', groups: [['in-group']], taskRuns: { 'in-group': expect.objectContaining({ pid: 4444 }) } }),
      new Map([['in-group', [expect.objectContaining({ uuid: 'in-group-0' }), expect.objectContaining({ uuid: 'in-group-1' })]]]),
    );
    expect(adoptExecutor).not.toHaveBeenCalled();
    expect(adopt).not.toHaveBeenCalled();
    expect(restored).toEqual([{ frameworkId: 'fw', uuids: ['in-group-1'] }]);
    expect(updates).toEqual([]);
  });

  it.each<[RecoverMode, 'same' | 'other' | 'none', string]>([
    ['cleanup', 'same', 'cleanup'],
    ['reconnect', 'other', 'fresh'],
    ['reconnect', 'none', 'fresh'],
  ])('--recover=%s with %s resources kills the checkpointed tasks and forgets them (%s)', async (mode, meta, decision) => {
    journaled('t', ['TASK_RUNNING'], 0, 4242);
    expect(await recover(mode, meta)).toMatchObject({ decision, recovered: 0 });
    expect(adopt).toHaveBeenCalledTimes(1);
    expect(killAll).toHaveBeenCalledWith(expect.any(String), { keepAccepting: true });
    expect(restored).toEqual([]);
    expect(await store.readAll()).toEqual([]);
  });
});
