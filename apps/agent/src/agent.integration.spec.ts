import { randomBytes } from 'node:crypto';
import { INestApplication } from '@nestjs/common';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BusTransport, InProcessTransport, NatsTransport } from '@agora/bus';
import { urlOf } from '@agora/nest-common';
import { serviceUrl } from '../../../test/support/services';
import { bootstrapAgent } from './bootstrap';
import { FakeMaster } from './testing/fake-master';

interface Setup {
  readonly name: string;
  /** The master's end of the bus, and what bootstrapAgent gets (a transport, or NATS_URL in its env). */
  connect(): Promise<{ master: BusTransport; agent: { transport?: BusTransport; env: Record<string, string> }; close(): Promise<void> }>;
}

const setups: Setup[] = [
  {
    name: 'in-process bus',
    connect: async () => {
      const shared = new InProcessTransport();
      return { master: shared, agent: { transport: shared, env: {} }, close: () => shared.close() };
    },
  },
  {
    name: 'NATS bus',
    connect: async () => {
      const url = serviceUrl('NATS_URL');
      // A namespace of its own: other test files share this NATS server.
      const namespace = `agent-spec-${randomBytes(4).toString('hex')}`;
      const master = await NatsTransport.connect({ url, name: 'agent-spec-master', namespace });
      return { master, agent: { env: { NATS_URL: url, AGORA_BUS_NAMESPACE: namespace } }, close: () => master.close() };
    },
  },
];

/** Follows a task's sandbox from /state: live frameworks first, then completed ones. */
async function sandboxOf(base: string, taskId: string): Promise<string> {
  const state = (await (await fetch(`${base}/state`)).json()) as {
    frameworks: { executors: { id: string; directory: string }[]; completed_executors: { id: string; directory: string }[] }[];
    completed_frameworks: { completed_executors: { id: string; directory: string }[] }[];
  };
  const executors = [
    ...state.frameworks.flatMap((f) => [...f.executors, ...f.completed_executors]),
    ...state.completed_frameworks.flatMap((f) => f.completed_executors),
  ];
  const found = executors.find((e) => e.id === taskId);
  if (found === undefined) throw new Error(`task ${taskId} is not in /state`);
  return found.directory;
}

describe.each(setups)('agent over the $name', (setup) => {
  let bus: Awaited<ReturnType<Setup['connect']>>;
  let master: FakeMaster;
  let agent: INestApplication | undefined;
  let workDir: string;

  beforeEach(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'agora-agent-'));
    bus = await setup.connect();
    master = new FakeMaster(bus.master);
  });

  afterEach(async () => {
    await agent?.close();
    agent = undefined;
    master.close();
    await bus.close();
    await rm(workDir, { recursive: true, force: true });
  });

  async function boot(): Promise<string> {
    agent = await bootstrapAgent({
      port: 0,
      host: '127.0.0.1',
      logger: false,
      workDir,
      hostname: 'agent-spec',
      resources: 'cpus:2;mem:1024',
      attributes: 'rack:r1',
      transport: bus.agent.transport,
      env: { ...bus.agent.env, AGORA_REGISTRATION_BACKOFF_FACTOR_MS: '20' },
    });
    return urlOf(agent);
  }

  it('registers, runs `echo hello` to TASK_FINISHED and serves its stdout', async () => {
    const base = await boot();
    await master.until(() => master.registrations.length === 1);
    const registration = master.registrations[0];
    expect(master.kinds).toEqual(['register']);
    expect(registration).toMatchObject({
      agent_info: { hostname: 'agent-spec', port: Number(new URL(base).port), attributes: [{ name: 'rack', type: 'TEXT', text: { value: 'r1' } }] },
      capabilities: ['MULTI_ROLE', 'HIERARCHICAL_ROLE', 'RESERVATION_REFINEMENT', 'TASK_RESOURCE_LIMITS', 'AGENT_DRAINING'],
      ip: '127.0.0.1',
    });
    // Given cpus and mem; disk and ports were detected.
    expect(registration.agent_info.resources?.map((r) => r.name).sort()).toEqual(['cpus', 'disk', 'mem', 'ports']);

    await master.agentListening();
    master.runTask({ task_id: { value: 'hello' }, command: { value: 'echo hello' } });
    await master.until(() => master.distinctStates('hello').includes('TASK_FINISHED'));

    expect(master.distinctStates('hello')).toEqual(['TASK_STARTING', 'TASK_RUNNING', 'TASK_FINISHED']);
    const finished = master.updates.find((u) => u.status.state === 'TASK_FINISHED');
    expect(finished).toMatchObject({
      agent_id: { value: master.agentId },
      framework_id: { value: `${master.masterId}-0000` },
      latest_state: 'TASK_FINISHED',
      status: { source: 'SOURCE_EXECUTOR', message: 'Command exited with status 0', executor_id: { value: 'hello' } },
    });

    const sandbox = await sandboxOf(base, 'hello');
    expect(sandbox).toContain(join(workDir, 'slaves', master.agentId, 'frameworks', `${master.masterId}-0000`, 'executors', 'hello', 'runs'));
    const read = await fetch(`${base}/files/read?path=${encodeURIComponent(join(sandbox, 'stdout'))}&offset=0`);
    expect(await read.json()).toEqual({ data: 'hello\n', offset: 0 });
  });

  it('kills a running task with TASK_KILLED', async () => {
    await boot();
    await master.until(() => master.registrations.length === 1);
    await master.agentListening();
    master.runTask({ task_id: { value: 'sleeper' }, command: { value: 'sleep 60' } }, { capabilities: [{ type: 'TASK_KILLING_STATE' }] });
    await master.until(() => master.distinctStates('sleeper').includes('TASK_RUNNING'));
    master.send('kill-task', { framework_id: { value: `${master.masterId}-0000` }, task_id: { value: 'sleeper' } });
    await master.until(() => master.distinctStates('sleeper').includes('TASK_KILLED'));
    expect(master.distinctStates('sleeper')).toEqual(['TASK_STARTING', 'TASK_RUNNING', 'TASK_KILLING', 'TASK_KILLED']);
  });
});
