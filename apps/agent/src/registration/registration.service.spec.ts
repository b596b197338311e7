import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AgoraBus, InProcessTransport } from '@agora/bus';
import type { ReregisterAgent } from '@agora/protocol';
import { Resources, toV1 } from '@agora/resources';
import { FakeClock } from '../clock/fake-clock';
import { loadAgentConfig } from '../config/agent.config';
import { DrainService } from '../drain/drain.service';
import { ExecutorRegistry } from '../executors/executor-registry';
import type { ExecutorsService } from '../executors/executors.service';
import { MasterInbox } from '../inbox/master-inbox';
import { AgentProfile } from '../machine/agent-profile';
import { SandboxService } from '../sandbox/sandbox.service';
import { AgentSession } from '../session/agent-session';
import { InMemoryJournal } from '../status-updates/status-update-journal';
import { StatusUpdateManager } from '../status-updates/status-update-manager';
import { CommandExecutorService } from '../tasks/command-executor.service';
import { TaskRegistry } from '../tasks/task-registry';
import { FakeDriver } from '../testing/fake-driver';
import { FakeMaster } from '../testing/fake-master';
import { waitFor } from '../testing/wait-for';
import { AgentMetaStore } from './agent-meta.store';
import { RegistrationService } from './registration.service';

/** Lets the in-process bus deliver (it hands messages over on later event-loop turns). */
async function turns(n = 20): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
}

const RESOURCES = Resources.parse('cpus:2;mem:1024;disk:100;ports:[31000-31010]');

async function harness(random = 0.5) {
  const workDir = await mkdtemp(join(tmpdir(), 'agora-registration-'));
  const transport = new InProcessTransport();
  const clock = new FakeClock(undefined, random);
  const session = new AgentSession();
  session.port = 5099;
  const config = loadAgentConfig({ registrationTimeoutMs: 1000 }, {});
  const profile = new AgentProfile('host-1', '127.0.0.1', workDir, RESOURCES, [{ name: 'rack', type: 'TEXT', text: { value: 'r1' } }]);
  const bus = new AgoraBus(transport);
  const statusUpdates = new StatusUpdateManager(bus, clock, session, config, new InMemoryJournal());
  const registry = new TaskRegistry();
  const driver = new FakeDriver(); // no task runs in these tests
  const tasks = new CommandExecutorService(registry, statusUpdates, driver, new SandboxService(profile), session, config, clock);
  const killAll = jest.spyOn(tasks, 'killAll');
  const meta = new AgentMetaStore(profile);
  // No custom executors in these tests: they take no command and hold nothing.
  const executors = { takes: () => false, kill: () => false, shutdownExecutor: () => false, frameworkMessage: () => false, shutdownFramework: () => undefined, stopAll: async () => undefined };
  const executorService = executors as unknown as ExecutorsService;
  const registration = new RegistrationService(bus, session, clock, config, profile, { value: '0.1.0' }, meta, statusUpdates, tasks, registry, executorService, new ExecutorRegistry());
  const executorRegistry = new ExecutorRegistry();
  const drains = new DrainService(bus, session, clock, statusUpdates, tasks, executorService, registry, executorRegistry);
  const inbox = new MasterInbox(bus, session, registration, tasks, statusUpdates, executorService, drains);
  inbox.onModuleInit();
  inbox.start();
  const step = async (ms: number): Promise<void> => {
    clock.advance(ms);
    await turns();
  };
  const cleanup = async (): Promise<void> => {
    registration.stop();
    inbox.stop();
    await transport.close();
    // The meta store may still be writing the agent id it was just given (ENOTEMPTY otherwise).
    await rm(workDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
  };
  return { workDir, transport, clock, session, registration, registry, statusUpdates, meta, killAll, step, cleanup };
}

type Harness = Awaited<ReturnType<typeof harness>>;

describe('RegistrationService', () => {
  beforeAll(() => Logger.overrideLogger(false));

  let h: Harness;
  let master: FakeMaster;

  afterEach(async () => {
    master?.close();
    await h.cleanup();
  });

  /** Starts the agent and lets its first attempt (after 0.5 × 1 s) reach the master. */
  async function registered(options: ConstructorParameters<typeof FakeMaster>[1] = {}): Promise<void> {
    master = new FakeMaster(h.transport, options);
    await h.registration.start();
    await h.step(500);
    expect(h.session.registered).toBe(true);
  }

  it('registers a new agent with its description and remembers the id', async () => {
    h = await harness();
    await registered();
    expect(master.kinds).toEqual(['register']);
    expect(master.registrations[0]).toEqual({
      agent_info: { hostname: 'host-1', port: 5099, resources: toV1(RESOURCES), attributes: [{ name: 'rack', type: 'TEXT', text: { value: 'r1' } }] },
      version: '0.1.0',
      capabilities: ['MULTI_ROLE', 'HIERARCHICAL_ROLE', 'RESERVATION_REFINEMENT', 'TASK_RESOURCE_LIMITS', 'AGENT_DRAINING'],
      ip: '127.0.0.1',
      // This process's registration session: the same in every attempt it makes.
      session: h.session.instance,
    });
    expect(h.session).toMatchObject({ agentId: master.agentId, masterId: master.masterId, registered: true });
    const written = await waitFor(() => readFile(join(h.workDir, 'meta', 'agent.json'), 'utf8').catch(() => ''));
    expect(JSON.parse(written)).toEqual({
      id: master.agentId,
      resources: toV1(RESOURCES),
      hostname: 'host-1',
    });
  });

  it('retries with randomized exponential backoff capped at a minute while no master answers', async () => {
    h = await harness(0.999999);
    await h.registration.start();
    const waits: number[] = [];
    for (let i = 0; i < 9; i++) {
      const [wait] = h.clock.pendingDelays();
      waits.push(wait);
      await h.step(wait);
    }
    expect(waits).toEqual([999, 1999, 3999, 7999, 15_999, 31_999, 59_999, 59_999, 59_999]);
    master = new FakeMaster(h.transport);
    await h.step(h.clock.pendingDelays()[0]);
    expect(h.session.registered).toBe(true);
  });

  it('re-registers under the id of its meta file when its resources are unchanged', async () => {
    h = await harness();
    await h.meta.write({ id: 'old-S7', resources: toV1(RESOURCES) });
    await registered();
    expect(master.kinds).toEqual(['reregister']);
    expect((master.registrations[0] as ReregisterAgent).agent_info.id).toEqual({ value: 'old-S7' });
    expect(h.session.agentId).toBe('old-S7');
  });

  it.each([
    ['other resources', JSON.stringify({ id: 'old-S7', resources: toV1(Resources.parse('cpus:64')) })],
    ['an unreadable file', '{"id": '],
  ])('registers as a new agent when the meta file has %s', async (_case, content) => {
    h = await harness();
    await mkdir(join(h.workDir, 'meta'), { recursive: true });
    await writeFile(join(h.workDir, 'meta', 'agent.json'), content);
    await registered();
    expect(master.kinds).toEqual(['register']);
  });

  it('answers pings, and re-registers with its tasks when the master does not know it', async () => {
    h = await harness();
    await registered();
    const framework = { id: { value: 'fw-1' }, user: 'u', name: 'f' };
    h.registry.rememberFramework(framework);
    h.registry.add({
      frameworkId: 'fw-1',
      taskId: 't1',
      info: { name: 't1', task_id: { value: 't1' }, agent_id: { value: master.agentId }, command: { value: 'sleep 1' } },
      executorId: 't1',
      containerId: 'c1',
      state: 'TASK_RUNNING',
      phase: 'running',
      statuses: [],
      silenced: false,
      finished: Promise.resolve(),
    });
    master.autoAck = false;
    h.statusUpdates.update('fw-1', { task_id: { value: 't1' }, state: 'TASK_RUNNING', uuid: 'AAAAAAAAAAAAAAAAAAAAAA==' });

    const pong = master.bus.ping(master.agentId, { epoch: 1, registered: false }, 1000);
    await turns();
    await expect(pong).resolves.toEqual({ agent_id: { value: master.agentId } });
    expect(h.session.registered).toBe(false);
    await h.step(500);
    expect(master.invalid).toEqual([]);
    expect(master.kinds).toEqual(['register', 'reregister']);
    expect(master.registrations[1]).toMatchObject({
      agent_info: { id: { value: master.agentId }, hostname: 'host-1' },
      frameworks: [framework],
      tasks: [{ framework_id: { value: 'fw-1' }, state: 'TASK_RUNNING', status_update_state: 'TASK_RUNNING', status_update_uuid: 'AAAAAAAAAAAAAAAAAAAAAA==' }],
    });
    // Registration flushed the pending update (sent once before the ping, once after).
    expect(master.updates.map((u) => u.status.state)).toEqual(['TASK_RUNNING', 'TASK_RUNNING']);
  });

  it('re-registers when no ping arrives for ping_interval × max_missed_pings', async () => {
    h = await harness();
    await registered({ pingIntervalSeconds: 1, maxMissedPings: 2 });
    await h.step(1500);
    void master.bus.ping(master.agentId, { epoch: 1, registered: true }, 1000);
    await turns();
    await h.step(1500);
    expect(h.session.registered).toBe(true);
    await h.step(500);
    expect(h.session.registered).toBe(false);
    await h.step(500);
    expect(master.kinds).toEqual(['register', 'reregister']);
    expect(h.session.registered).toBe(true);
  });

  it('re-registers when a newer master is elected, not for the one it registered with', async () => {
    h = await harness();
    await registered();
    master.bus.broadcast('master-elected', { epoch: 1, master_id: master.masterId });
    await turns();
    expect(h.session.registered).toBe(true);
    master.epoch = 2;
    master.bus.broadcast('master-elected', { epoch: 2, master_id: 'new-leader' });
    await turns();
    expect(h.session.registered).toBe(false);
    await h.step(500);
    expect(master.kinds).toEqual(['register', 'reregister']);
  });

  it('ignores a registration answer from an older epoch than it has seen', async () => {
    h = await harness();
    master = new FakeMaster(h.transport, { epoch: 1 });
    h.session.fence.admit(5);
    await h.registration.start();
    await h.step(500);
    expect(master.kinds).toEqual(['register']);
    expect(h.session.registered).toBe(false);
    master.epoch = 5;
    await h.step(h.clock.pendingDelays()[0]);
    expect(h.session.registered).toBe(true);
  });

  it('keeps trying after a refusal, and stops for good when told to shut down', async () => {
    h = await harness();
    master = new FakeMaster(h.transport);
    master.answer = { refuse: true, message: 'not now', shutdown: false };
    await h.registration.start();
    await h.step(500);
    expect(h.clock.pendingDelays()).toHaveLength(1);
    master.answer = { refuse: true, message: 'the agent was marked gone', shutdown: true };
    await h.step(h.clock.pendingDelays()[0]);
    expect(h.killAll).toHaveBeenCalled();
    expect(h.session.shutDown).toBe(true);
    expect(h.clock.pendingDelays()).toEqual([]);
    expect(master.registrations).toHaveLength(2);
  });

  it('stops on a shutdown message and ignores the master from then on', async () => {
    h = await harness();
    await registered();
    master.send('shutdown', { message: 'removed by an operator' });
    await turns();
    expect(h.killAll).toHaveBeenCalled();
    const pong = master.bus.ping(master.agentId, { epoch: 1, registered: false }, 100);
    await expect(pong).rejects.toThrow();
    expect(master.registrations).toHaveLength(1);
  });
});
