import { join } from 'node:path';
import { TaskStatusReason, textToBase64 } from '@agora/protocol';
import { type ExecutorHarness, startExecutorHarness } from './testing/executor-harness';

/**
 * Custom executors end to end on one agent: the tiny executor (testing/tiny-executor.cjs) is a
 * real process started by the process driver, talking to the agent's executor API over HTTP;
 * the master is the fake one on an in-process bus, which acknowledges every update.
 */
describe('custom executors', () => {
  let h: ExecutorHarness;

  afterEach(async () => {
    await h?.close();
  });

  const updateOf = (taskId: string, state: string) => h.master.updates.find((u) => u.status.task_id.value === taskId && u.status.state === state);

  it('starts the executor once in its sandbox, hands it every task, and takes its updates, acknowledging each', async () => {
    h = await startExecutorHarness();
    h.runTiny('t1');
    const subscribed = await h.report((r) => r.event === 'SUBSCRIBED');
    await h.master.until(() => h.master.distinctStates('t1').includes('TASK_RUNNING'));

    // The environment of reference §2, and what the npm mesos-framework Executor reads.
    const env = subscribed.env as Record<string, string>;
    const container = (subscribed.container_id as { value: string }).value;
    const sandbox = join(h.workDir, 'slaves', h.master.agentId, 'frameworks', h.frameworkId, 'executors', 'tiny', 'runs', container);
    expect(env).toMatchObject({
      MESOS_FRAMEWORK_ID: h.frameworkId,
      MESOS_EXECUTOR_ID: 'tiny',
      MESOS_DIRECTORY: sandbox,
      MESOS_SANDBOX: sandbox,
      MESOS_AGENT_ENDPOINT: `127.0.0.1:${new URL(h.base).port}`,
      MESOS_SLAVE_ID: h.master.agentId,
      MESOS_AGENT_ID: h.master.agentId,
      MESOS_SLAVE_PID: `slave(1)@127.0.0.1:${new URL(h.base).port}`,
      MESOS_CHECKPOINT: '0',
      MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD: '5secs',
    });

    // The executor's update reaches the master with the agent's fields filled in...
    const running = updateOf('t1', 'TASK_RUNNING');
    expect(running?.status).toMatchObject({
      source: 'SOURCE_EXECUTOR',
      executor_id: { value: 'tiny' },
      agent_id: { value: h.master.agentId },
      container_status: { container_id: { value: container } },
    });
    // ... and the executor was acknowledged for exactly that update.
    await h.report((r) => r.event === 'ACKNOWLEDGED' && r.uuid === running?.status.uuid);

    // A second task goes to the running executor: no second executor, no second SUBSCRIBED.
    h.runTiny('t2');
    await h.report((r) => r.event === 'LAUNCH' && r.task_id === 't2');
    await h.master.until(() => h.master.distinctStates('t2').includes('TASK_RUNNING'));
    expect(h.reported().filter((r) => r.event === 'SUBSCRIBED')).toHaveLength(1);

    const state = await h.state();
    const executor = state.frameworks.find((f) => f.id === h.frameworkId)?.executors.find((e) => e.id === 'tiny');
    expect(executor).toMatchObject({ name: 'tiny executor', type: 'CUSTOM', container, directory: sandbox, resources: { cpus: 0.3 } });
    expect(executor?.tasks.map((t) => [t.id, t.state])).toEqual([
      ['t1', 'TASK_RUNNING'],
      ['t2', 'TASK_RUNNING'],
    ]);

    // A scheduler's message reaches the executor; here it finishes a task.
    h.master.send('framework-message', { framework_id: { value: h.frameworkId }, executor_id: { value: 'tiny' }, data: textToBase64('finish t1') });
    await h.report((r) => r.event === 'MESSAGE' && r.text === 'finish t1');
    await h.master.until(() => h.master.distinctStates('t1').includes('TASK_FINISHED'));
    expect(h.master.distinctStates('t1')).toEqual(['TASK_RUNNING', 'TASK_FINISHED']);
    const after = await h.state();
    const completed = after.frameworks[0].executors.find((e) => e.id === 'tiny');
    expect(completed?.completed_tasks.map((t) => [t.id, t.state])).toEqual([['t1', 'TASK_FINISHED']]);
    expect(completed?.resources).toMatchObject({ cpus: 0.2 });
  });

  it('sends a kill to the executor, which reports TASK_KILLED', async () => {
    h = await startExecutorHarness();
    h.runTiny('k1');
    await h.master.until(() => h.master.distinctStates('k1').includes('TASK_RUNNING'));
    h.master.send('kill-task', { framework_id: { value: h.frameworkId }, task_id: { value: 'k1' }, kill_policy: { grace_period: { nanoseconds: 1e9 } } });
    const kill = await h.report((r) => r.event === 'KILL');
    expect(kill).toMatchObject({ task_id: 'k1', kill_policy: { grace_period: { nanoseconds: 1e9 } } });
    await h.master.until(() => h.master.distinctStates('k1').includes('TASK_KILLED'));
    expect(updateOf('k1', 'TASK_KILLED')?.status.source).toBe('SOURCE_EXECUTOR');
  });

  it('fails the tasks of an executor that exits, and tells the master (FAILURE)', async () => {
    h = await startExecutorHarness();
    h.runTiny('e1');
    await h.master.until(() => h.master.distinctStates('e1').includes('TASK_RUNNING'));
    h.master.send('framework-message', { framework_id: { value: h.frameworkId }, executor_id: { value: 'tiny' }, data: textToBase64('exit 3') });
    await h.master.until(() => h.master.executorExits.length === 1);
    await h.master.until(() => h.master.distinctStates('e1').includes('TASK_FAILED'));
    expect(updateOf('e1', 'TASK_FAILED')?.status).toMatchObject({
      source: 'SOURCE_AGENT',
      reason: TaskStatusReason.EXECUTOR_TERMINATED,
      message: 'Executor terminated',
      executor_id: { value: 'tiny' },
    });
    // The wait status, as Mesos sends it: exit code 3 is 3 × 256.
    expect(h.master.executorExits[0]).toEqual({
      agent_id: { value: h.master.agentId },
      framework_id: { value: h.frameworkId },
      executor_id: { value: 'tiny' },
      status: 768,
    });
    // Once its tasks are acknowledged the executor is a completed one; a new task starts a new run.
    const state = await h.state();
    expect(state.frameworks).toEqual([]);
    expect(state.completed_frameworks[0].completed_executors.map((e) => [e.id, e.completed_tasks.map((t) => t.state)])).toEqual([['tiny', ['TASK_FAILED']]]);
  });

  it('kills an executor that does not subscribe in time and fails its tasks', async () => {
    h = await startExecutorHarness({ AGORA_EXECUTOR_REGISTRATION_TIMEOUT_MS: '300' });
    h.runTiny('r1', { mode: 'silent' });
    await h.master.until(() => h.master.distinctStates('r1').includes('TASK_FAILED'));
    expect(h.master.distinctStates('r1')).toEqual(['TASK_FAILED']);
    expect(updateOf('r1', 'TASK_FAILED')?.status).toMatchObject({
      source: 'SOURCE_AGENT',
      reason: TaskStatusReason.EXECUTOR_REGISTRATION_TIMEOUT,
      message: 'Executor did not register within 300ms',
    });
    await h.master.until(() => h.master.executorExits.length === 1);
    expect(h.master.executorExits[0].status).toBe(9); // SIGKILL
  });

  it('answers TASK_KILLED itself for a task killed before the executor subscribed', async () => {
    h = await startExecutorHarness({ AGORA_EXECUTOR_REGISTRATION_TIMEOUT_MS: '60000' });
    h.runTiny('q1', { mode: 'silent' });
    await h.master.until(() => h.master.kinds.length > 0);
    h.master.send('kill-task', { framework_id: { value: h.frameworkId }, task_id: { value: 'q1' } });
    await h.master.until(() => h.master.distinctStates('q1').includes('TASK_KILLED'));
    expect(updateOf('q1', 'TASK_KILLED')?.status).toMatchObject({
      source: 'SOURCE_AGENT',
      reason: TaskStatusReason.TASK_KILLED_DURING_LAUNCH,
      message: 'Killed before delivery to the executor',
    });
  });

  it('shuts an executor down: it kills its tasks and exits', async () => {
    h = await startExecutorHarness();
    h.runTiny('s1');
    await h.master.until(() => h.master.distinctStates('s1').includes('TASK_RUNNING'));
    h.master.send('shutdown-executor', { framework_id: { value: h.frameworkId }, executor_id: { value: 'tiny' } });
    await h.report((r) => r.event === 'SHUTDOWN');
    await h.master.until(() => h.master.executorExits.length === 1);
    await h.master.until(() => h.master.distinctStates('s1').includes('TASK_KILLED'));
    expect(h.master.distinctStates('s1')).toEqual(['TASK_RUNNING', 'TASK_KILLED']);
    expect(h.master.executorExits[0].status).toBe(0);
  });

  it('kills an executor that ignores SHUTDOWN after the grace period; its tasks are lost', async () => {
    h = await startExecutorHarness({ AGORA_EXECUTOR_SHUTDOWN_GRACE_MS: '200' });
    h.runTiny('g1', { mode: 'ignore-shutdown' });
    await h.master.until(() => h.master.distinctStates('g1').includes('TASK_RUNNING'));
    h.master.send('shutdown-executor', { framework_id: { value: h.frameworkId }, executor_id: { value: 'tiny' } });
    await h.master.until(() => h.master.distinctStates('g1').includes('TASK_LOST'));
    expect(updateOf('g1', 'TASK_LOST')?.status).toMatchObject({ source: 'SOURCE_AGENT', reason: TaskStatusReason.EXECUTOR_TERMINATED, message: 'Executor was shut down' });
    await h.master.until(() => h.master.executorExits.length === 1);
    expect(h.master.executorExits[0].status).toBe(9);
  });

  it('shuts down the executors of a removed framework without status updates', async () => {
    h = await startExecutorHarness();
    h.runTiny('f1');
    await h.master.until(() => h.master.distinctStates('f1').includes('TASK_RUNNING'));
    const before = h.master.updates.length;
    h.master.send('shutdown-framework', { framework_id: { value: h.frameworkId } });
    await h.report((r) => r.event === 'SHUTDOWN');
    // The executor kills its task (its TASK_KILLED is acknowledged and dropped) and exits.
    await h.report((r) => r.event === 'UPDATE_ANSWERED' && r.state === 'TASK_KILLED');
    await h.master.until(() => h.master.executorExits.length === 1);
    expect(h.master.updates.length).toBe(before);
    const state = await h.state();
    expect(state.frameworks).toEqual([]);
    expect(state.completed_frameworks[0].completed_executors[0].completed_tasks.map((t) => t.state)).toEqual(['TASK_KILLED']);
  });

  it('answers TASK_LOST for a task sent to an executor that is shutting down', async () => {
    // Its own grace keeps it shutting down through the test; the agent's bounds how long stopping the agent waits.
    h = await startExecutorHarness({ AGORA_EXECUTOR_SHUTDOWN_GRACE_MS: '200' });
    h.runTiny('a1', { mode: 'ignore-shutdown', executor: { shutdown_grace_period: { nanoseconds: 600e9 } } });
    await h.master.until(() => h.master.distinctStates('a1').includes('TASK_RUNNING'));
    h.master.send('shutdown-executor', { framework_id: { value: h.frameworkId }, executor_id: { value: 'tiny' } });
    await h.report((r) => r.event === 'SHUTDOWN');
    h.runTiny('a2');
    await h.master.until(() => h.master.distinctStates('a2').includes('TASK_LOST'));
    expect(updateOf('a2', 'TASK_LOST')?.status).toMatchObject({ source: 'SOURCE_AGENT', message: 'Executor tiny is terminating' });
  });
});
