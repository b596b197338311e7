import { Logger } from '@nestjs/common';
import { AgoraBus, InProcessTransport } from '@agora/bus';
import type { DrainService } from '../drain/drain.service';
import type { ExecutorsService } from '../executors/executors.service';
import type { RegistrationService } from '../registration/registration.service';
import { AgentSession } from '../session/agent-session';
import type { StatusUpdateManager } from '../status-updates/status-update-manager';
import type { CommandExecutorService } from '../tasks/command-executor.service';
import { MasterInbox } from './master-inbox';

async function turns(n = 10): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
}

function harness() {
  const transport = new InProcessTransport();
  const bus = new AgoraBus(transport);
  const master = new AgoraBus(transport);
  const session = new AgentSession();
  let identified: (id: string) => void = () => undefined;
  const registration = {
    onIdentified: jest.fn((listener: (id: string) => void) => (identified = listener)),
    onPing: jest.fn((_ping, reply: (pong: { agent_id: { value: string } }) => void) => reply({ agent_id: { value: 'a-S1' } })),
    onMasterElected: jest.fn(),
    shutdown: jest.fn(async () => undefined),
  };
  const tasks = {
    run: jest.fn(),
    kill: jest.fn(),
    shutdownFramework: jest.fn(),
    shutdownExecutor: jest.fn(),
    frameworkMessage: jest.fn(),
  };
  const statusUpdates = { acknowledge: jest.fn() };
  // Executors take nothing unless a test says so: the command executor gets every command.
  const executors = {
    takes: jest.fn((message: { task: { executor?: unknown } }) => message.task.executor !== undefined),
    run: jest.fn(),
    runGroup: jest.fn(),
    kill: jest.fn(() => false),
    shutdownFramework: jest.fn(),
    shutdownExecutor: jest.fn(() => false),
    frameworkMessage: jest.fn(() => false),
  };
  // Not draining unless a test says so.
  const drains = { refuses: jest.fn(() => false), drain: jest.fn() };
  const inbox = new MasterInbox(
    bus,
    session,
    registration as unknown as RegistrationService,
    tasks as unknown as CommandExecutorService,
    statusUpdates as unknown as StatusUpdateManager,
    executors as unknown as ExecutorsService,
    drains as unknown as DrainService,
  );
  inbox.onModuleInit();
  inbox.start();
  session.agentId = 'a-S1';
  identified('a-S1');
  const run = (epoch: number): void =>
    master.toAgent('a-S1', 'run-task', { epoch, framework: { id: { value: 'f' }, user: 'u', name: 'n' }, task: { name: 't', task_id: { value: 't' }, agent_id: { value: 'a-S1' } } });
  return { master, session, registration, tasks, statusUpdates, executors, drains, inbox, run, transport };
}

describe('MasterInbox', () => {
  beforeAll(() => Logger.overrideLogger(false));

  it('hands each kind of master message to its owner', async () => {
    const h = harness();
    const fw = { value: 'f' };
    h.run(1);
    h.master.toAgent('a-S1', 'kill-task', { epoch: 1, framework_id: fw, task_id: { value: 't' } });
    h.master.toAgent('a-S1', 'status-ack', { epoch: 1, framework_id: fw, task_id: { value: 't' }, uuid: 'AAAAAAAAAAAAAAAAAAAAAA==' });
    h.master.toAgent('a-S1', 'shutdown-framework', { epoch: 1, framework_id: fw });
    h.master.toAgent('a-S1', 'shutdown-executor', { epoch: 1, framework_id: fw, executor_id: { value: 'e' } });
    h.master.toAgent('a-S1', 'framework-message', { epoch: 1, framework_id: fw, executor_id: { value: 'e' }, data: 'aGk=' });
    h.master.broadcast('master-elected', { epoch: 1, master_id: 'm' });
    await expect(h.master.ping('a-S1', { epoch: 1, registered: true }, 1000)).resolves.toEqual({ agent_id: { value: 'a-S1' } });
    h.master.toAgent('a-S1', 'shutdown', { epoch: 1, message: 'bye' });
    await turns();
    expect(h.tasks.run).toHaveBeenCalledTimes(1);
    expect(h.tasks.kill).toHaveBeenCalledTimes(1);
    expect(h.statusUpdates.acknowledge).toHaveBeenCalledWith('f', 't', 'AAAAAAAAAAAAAAAAAAAAAA==');
    expect(h.tasks.shutdownFramework).toHaveBeenCalledWith('f');
    expect(h.tasks.shutdownExecutor).toHaveBeenCalledWith('f', 'e');
    expect(h.tasks.frameworkMessage).toHaveBeenCalledWith('f', 'e');
    expect(h.registration.onMasterElected).toHaveBeenCalledWith({ epoch: 1, master_id: 'm' });
    expect(h.registration.shutdown).toHaveBeenCalledWith('bye');
    await h.transport.close();
  });

  it('hands custom executors and task groups to the executors, and what they hold back to the command executor', async () => {
    const h = harness();
    const fw = { value: 'f' };
    const framework = { id: fw, user: 'u', name: 'n' };
    const task = { name: 't', task_id: { value: 'c' }, agent_id: { value: 'a-S1' }, executor: { executor_id: { value: 'e' }, command: { value: 'x' } } };
    h.executors.kill.mockReturnValueOnce(true);
    h.executors.shutdownExecutor.mockReturnValueOnce(true);
    h.executors.frameworkMessage.mockReturnValueOnce(true);
    h.master.toAgent('a-S1', 'run-task', { epoch: 1, framework, task });
    h.master.toAgent('a-S1', 'run-task-group', { epoch: 1, framework, executor: { executor_id: { value: 'd' }, type: 'DEFAULT', framework_id: fw }, task_group: { tasks: [{ ...task, executor: undefined }] } });
    h.master.toAgent('a-S1', 'kill-task', { epoch: 1, framework_id: fw, task_id: { value: 'c' } });
    h.master.toAgent('a-S1', 'shutdown-executor', { epoch: 1, framework_id: fw, executor_id: { value: 'e' } });
    h.master.toAgent('a-S1', 'framework-message', { epoch: 1, framework_id: fw, executor_id: { value: 'e' }, data: 'aGk=' });
    h.master.toAgent('a-S1', 'shutdown-framework', { epoch: 1, framework_id: fw });
    await turns();
    expect(h.executors.run).toHaveBeenCalledTimes(1);
    expect(h.executors.runGroup).toHaveBeenCalledTimes(1);
    expect(h.executors.shutdownFramework).toHaveBeenCalledWith('f');
    expect(h.tasks.shutdownFramework).toHaveBeenCalledWith('f');
    for (const fn of [h.tasks.run, h.tasks.kill, h.tasks.shutdownExecutor, h.tasks.frameworkMessage]) expect(fn).not.toHaveBeenCalled();
    await h.transport.close();
  });

  it('hands drain to the drain service, which may refuse launches while draining', async () => {
    const h = harness();
    const fw = { value: 'f' };
    h.master.toAgent('a-S1', 'drain', { epoch: 1, config: { max_grace_period: { nanoseconds: 1e9 }, mark_gone: false } });
    await turns();
    expect(h.drains.drain).toHaveBeenCalledWith({ epoch: 1, config: { max_grace_period: { nanoseconds: 1e9 }, mark_gone: false } });
    h.drains.refuses.mockReturnValue(true);
    h.run(1);
    h.master.toAgent('a-S1', 'run-task-group', { epoch: 1, framework: { id: fw, user: 'u', name: 'n' }, executor: { executor_id: { value: 'd' }, type: 'DEFAULT', framework_id: fw }, task_group: { tasks: [{ name: 't', task_id: { value: 'g' }, agent_id: { value: 'a-S1' } }] } });
    await turns();
    expect(h.drains.refuses).toHaveBeenCalledTimes(2);
    expect(h.tasks.run).not.toHaveBeenCalled();
    expect(h.executors.runGroup).not.toHaveBeenCalled();
    await h.transport.close();
  });

  it('ignores commands from a leader older than the newest it has seen', async () => {
    const h = harness();
    h.run(3);
    await turns();
    h.run(2);
    h.master.broadcast('master-elected', { epoch: 1, master_id: 'old' });
    await expect(h.master.ping('a-S1', { epoch: 2, registered: true }, 100)).rejects.toThrow();
    h.run(4);
    await turns();
    expect(h.tasks.run.mock.calls.map(([m]) => m.epoch)).toEqual([3, 4]);
    expect(h.registration.onMasterElected).not.toHaveBeenCalled();
    expect(h.session.fence.epoch).toBe(4);
    await h.transport.close();
  });

  it('survives a handler that throws', async () => {
    const h = harness();
    h.tasks.run.mockImplementationOnce(() => {
      throw new Error('boom');
    });
    h.run(1);
    h.run(1);
    await turns();
    expect(h.tasks.run).toHaveBeenCalledTimes(2);
    await h.transport.close();
  });

  it('ignores everything once the master shut the agent down', async () => {
    const h = harness();
    h.session.shutDown = true;
    h.run(1);
    await turns();
    expect(h.tasks.run).not.toHaveBeenCalled();
    await h.transport.close();
  });

  it('stops listening when stopped', async () => {
    const h = harness();
    h.inbox.stop();
    h.run(1);
    await turns();
    expect(h.tasks.run).not.toHaveBeenCalled();
    await h.transport.close();
  });
});
