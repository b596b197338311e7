import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Resources } from '@agora/resources';
import { AgentProfile } from '../machine/agent-profile';
import type { LaunchedFramework } from '../tasks/task-run';
import { CheckpointStore, type TaskCheckpoint } from './checkpoint-store';
import { CheckpointingJournal } from './checkpointing-journal';

const framework = (id: string, checkpoint = true): LaunchedFramework => ({ id: { value: id }, name: 'f', user: 'u', checkpoint });
const task = (taskId: string, pid?: number): TaskCheckpoint => ({
  info: { name: taskId, task_id: { value: taskId }, agent_id: { value: 'a1' }, resources: [], command: { value: 'sleep 60' } },
  run: { driver: 'process', containerId: `c-${taskId}`, executorId: taskId, ...(pid !== undefined ? { pid, startTime: 7, bootId: 'b' } : {}) },
});

describe('CheckpointStore', () => {
  let dir: string;
  let store: CheckpointStore;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'agora-checkpoint-'));
    store = new CheckpointStore(new AgentProfile('h', '127.0.0.1', dir, Resources.parse('cpus:1'), []));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('reads back frameworks, tasks and their journals', async () => {
    store.writeFramework(framework('fw/1'));
    store.writeTask('fw/1', 't 1', task('t 1', 4242));
    const journal = new CheckpointingJournal(store);
    journal.recordUpdate('fw/1', { task_id: { value: 't 1' }, state: 'TASK_STARTING', uuid: 'u1' });
    journal.recordUpdate('fw/1', { task_id: { value: 't 1' }, state: 'TASK_RUNNING', uuid: 'u2' });
    journal.recordAcknowledgement('fw/1', 't 1', 'u1');
    const [read] = await store.readAll();
    expect(read.info.id.value).toBe('fw/1');
    expect(read.tasks).toEqual([
      expect.objectContaining({ taskId: 't 1', checkpoint: task('t 1', 4242), journal: expect.objectContaining({ skipped: 0 }) }),
    ]);
    expect(read.tasks[0].journal.pending.map((s) => s.uuid)).toEqual(['u2']);
    // Ids become safe file names.
    expect(await readdir(join(dir, 'meta', 'frameworks'))).toEqual(['fw%2F1']);
  });

  it('journals nothing for a framework that does not checkpoint', async () => {
    new CheckpointingJournal(store).recordUpdate('fw-2', { task_id: { value: 't' }, state: 'TASK_RUNNING', uuid: 'u' });
    expect(await store.readAll()).toEqual([]);
    expect(await readdir(dir)).toEqual([]);
  });

  it('keeps a task whose run was not checkpointed yet, without a checkpoint', async () => {
    store.writeFramework(framework('fw'));
    store.append('fw', 't', { update: { task_id: { value: 't' }, state: 'TASK_STARTING', uuid: 'u' } });
    const [read] = await store.readAll();
    expect(read.tasks).toEqual([expect.objectContaining({ taskId: 't' })]);
    expect(read.tasks[0].checkpoint).toBeUndefined();
  });

  it('skips a framework directory without a readable framework.json', async () => {
    store.writeFramework(framework('fw'));
    await writeFile(join(dir, 'meta', 'frameworks', 'fw', 'framework.json'), '{"half');
    expect(await store.readAll()).toEqual([]);
  });

  it('replaces whole files: no temporary file is left', async () => {
    store.writeFramework(framework('fw'));
    store.writeTask('fw', 't', task('t'));
    store.writeTask('fw', 't', task('t', 1));
    expect((await readdir(join(dir, 'meta', 'frameworks', 'fw', 'tasks', 't'))).sort()).toEqual(['task.json']);
    expect(JSON.parse(await readFile(join(dir, 'meta', 'frameworks', 'fw', 'tasks', 't', 'task.json'), 'utf8'))).toEqual(task('t', 1));
  });

  it('removes a finished task and its exit file; clear() removes everything but the agent meta', async () => {
    store.writeFramework(framework('fw'));
    store.writeTask('fw', 't', task('t'));
    store.writeTask('fw', 'u', task('u'));
    const exit = store.prepareExitFile('c-t');
    await writeFile(exit, 'exited 0\n');
    store.removeTask('fw', 't', 'c-t');
    expect((await store.readAll())[0].tasks.map((t) => t.taskId)).toEqual(['u']);
    await expect(readFile(exit)).rejects.toThrow(/ENOENT/);
    await writeFile(join(dir, 'meta', 'agent.json'), '{}');
    await store.clear();
    expect(await readdir(join(dir, 'meta'))).toEqual(['agent.json']);
    expect(store.checkpointing('fw')).toBe(false);
  });
});
