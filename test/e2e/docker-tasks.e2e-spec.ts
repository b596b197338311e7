import { request } from 'node:http';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CommandInfo, ContainerInfo, Event, TaskStatus } from '@agora/protocol';
import { eventually, startTestCluster, type TestCluster } from '../support/cluster';
import { TestScheduler } from '../support/scheduler-client';
import { serviceUrl } from '../support/services';

type Offer = Extract<Event, { type: 'OFFERS' }>['offers']['offers'][number];

const ROLE = 'docker';
const BUSYBOX = 'agora/busybox';

interface TaskSpec {
  readonly id: string;
  readonly command: CommandInfo;
  readonly container?: ContainerInfo;
  /** MB; 32 unless given. */
  readonly mem?: number;
  readonly graceSeconds?: number;
}

const inBusybox = (extra: Partial<NonNullable<ContainerInfo['docker']>> = {}): ContainerInfo => ({ type: 'DOCKER', docker: { image: BUSYBOX, ...extra } });

/**
 * Issue 4's end-to-end proof for Docker tasks: a scheduler launches tasks with a DOCKER
 * ContainerInfo over 3 real agents (real NATS, real Postgres, the real engine at DOCKER_HOST
 * that scripts/services.sh starts, the images docker/build-images.sh builds). They run with
 * command-executor semantics, exit codes and all; a task past its memory limit, a killed task,
 * a missing image and a network the agents do not have each end as Mesos says they should.
 */
describe('Docker tasks end to end', () => {
  let cluster: TestCluster;
  let scheduler: TestScheduler;
  let dockerHost: string;

  beforeAll(async () => {
    dockerHost = serviceUrl('DOCKER_HOST');
    cluster = await startTestCluster('docker_tasks', {
      agents: 3,
      agentResources: 'cpus:4;mem:4096;disk:1024;ports:[31000-32000]',
      // Ended containers go at once: this engine is shared by every test run on the machine.
      agentEnv: { DOCKER_HOST: dockerHost, AGORA_DOCKER: 'on', AGORA_DOCKER_REMOVE_DELAY_MS: '0' },
    });
    await eventually(async () => {
      const state = (await (await fetch(`${cluster.masterUrl}/state`)).json()) as { slaves: unknown[] };
      return state.slaves.length === 3;
    }, 30000, 'three agents registered');
    scheduler = await TestScheduler.subscribe(cluster.masterUrl, {
      user: 'e2e',
      name: 'docker-tasks',
      roles: [ROLE],
      capabilities: [{ type: 'MULTI_ROLE' }],
    });
  }, 60000);

  afterAll(async () => {
    scheduler?.disconnect();
    await cluster?.stop();
  });

  /** A task of `spec` on `offer`: 0.1 cpus and its memory, from the offer's role. */
  function taskInfo(spec: TaskSpec, offer: Offer): Record<string, unknown> {
    return {
      name: spec.id,
      task_id: { value: spec.id },
      agent_id: offer.agent_id,
      resources: [
        { name: 'cpus', type: 'SCALAR', scalar: { value: 0.1 }, allocation_info: { role: ROLE } },
        { name: 'mem', type: 'SCALAR', scalar: { value: spec.mem ?? 32 }, allocation_info: { role: ROLE } },
      ],
      command: spec.command,
      ...(spec.container !== undefined ? { container: spec.container } : {}),
      ...(spec.graceSeconds !== undefined ? { kill_policy: { grace_period: { nanoseconds: spec.graceSeconds * 1e9 } } } : {}),
    };
  }

  /**
   * Launches `specs`, at most `perAgent` on one agent (so they spread over the agents), and
   * acknowledges every update until each task reached a terminal state; answers those states.
   */
  async function runToEnd(specs: readonly TaskSpec[], perAgent = specs.length): Promise<{ terminal: Map<string, TaskStatus>; agents: Set<string> }> {
    const pending = [...specs];
    const terminal = new Map<string, TaskStatus>();
    const launchedOn = new Map<string, number>();
    const agents = new Set<string>();
    const ids = new Set(specs.map((s) => s.id));
    while (terminal.size < specs.length) {
      const event = await scheduler.next((e) => e.type === 'OFFERS' || (e.type === 'UPDATE' && ids.has(e.update.status.task_id.value)), 120000);
      if (event.type === 'OFFERS') {
        for (const offer of event.offers.offers) {
          const agent = offer.agent_id.value;
          const tasks = pending.splice(0, perAgent - (launchedOn.get(agent) ?? 0)).map((spec) => taskInfo(spec, offer));
          launchedOn.set(agent, (launchedOn.get(agent) ?? 0) + tasks.length);
          if (tasks.length > 0) agents.add(agent);
          const answer = tasks.length === 0
            ? await scheduler.call('DECLINE', { decline: { offer_ids: [offer.id], filters: { refuse_seconds: 0.2 } } })
            : await scheduler.call('ACCEPT', { accept: { offer_ids: [offer.id], operations: [{ type: 'LAUNCH', launch: { task_infos: tasks } }], filters: { refuse_seconds: 0 } } });
          expect(answer.status).toBe(202);
        }
        continue;
      }
      if (event.type !== 'UPDATE') continue;
      const status = event.update.status;
      await scheduler.acknowledge(status);
      if (!['TASK_STAGING', 'TASK_STARTING', 'TASK_RUNNING', 'TASK_KILLING'].includes(status.state)) terminal.set(status.task_id.value, status);
    }
    return { terminal, agents };
  }

  it('runs 50 Docker tasks over 3 agents to the states their exit codes give', async () => {
    const specs = Array.from({ length: 50 }, (_, i) => ({ id: `exit-${i}`, command: { value: `echo task ${i}; exit $((${i} % 3))` }, container: inBusybox() }));
    const { terminal, agents } = await runToEnd(specs, 17);
    expect(agents.size).toBe(3);
    for (let i = 0; i < specs.length; i++) {
      const status = terminal.get(`exit-${i}`);
      const code = i % 3;
      expect({ id: `exit-${i}`, state: status?.state, message: status?.message }).toEqual({
        id: `exit-${i}`,
        state: code === 0 ? 'TASK_FINISHED' : 'TASK_FAILED',
        message: `Command exited with status ${code}`,
      });
    }
    expect(await readFile(join(await sandboxOf('exit-7'), 'stdout'), 'utf8')).toBe('task 7\n');

    // Each agent says it has an engine, and the containers were removed (remove delay 0).
    for (const url of cluster.agentUrls) {
      expect(((await (await fetch(`${url}/state`)).json()) as { docker: boolean }).docker).toBe(true);
    }
    await eventually(async () => (await containersOf(scheduler.frameworkId)).length === 0, 30000, 'the ended containers removed');
  }, 300000);

  it('fails a task that goes past its memory limit with REASON_CONTAINER_LIMITATION_MEMORY', async () => {
    const { terminal } = await runToEnd([{ id: 'memory-hog', command: { value: 'head -c 200m /dev/zero | tail' }, container: inBusybox(), mem: 32 }]);
    expect(terminal.get('memory-hog')).toMatchObject({
      state: 'TASK_FAILED',
      source: 'SOURCE_AGENT',
      reason: 'REASON_CONTAINER_LIMITATION_MEMORY',
      message: expect.stringMatching(/^Memory limit exceeded: .*32 MB/),
    });
  }, 120000);

  it('gives a killed container its grace period: its TERM trap runs, and it ends TASK_KILLED', async () => {
    const id = 'graceful';
    const offer = (await scheduler.nextOfType('OFFERS', undefined, 60000)).offers.offers[0];
    const spec: TaskSpec = {
      id,
      // The marker goes to the sandbox's stdout through the container's output stream.
      command: { value: "trap 'echo caught TERM, cleaning up; exit 0' TERM; echo started; while true; do sleep 0.1; done" },
      container: inBusybox(),
      graceSeconds: 30,
    };
    const accepted = await scheduler.call('ACCEPT', { accept: { offer_ids: [offer.id], operations: [{ type: 'LAUNCH', launch: { task_infos: [taskInfo(spec, offer)] } }] } });
    expect(accepted.status).toBe(202);
    for (const state of ['TASK_STARTING', 'TASK_RUNNING']) await scheduler.acknowledge((await scheduler.update(id, state, 60000)).update.status);
    const stdout = join(await sandboxOf(id), 'stdout');
    await eventually(async () => (await readFile(stdout, 'utf8')).includes('started'), 30000, 'the task started');

    expect((await scheduler.call('KILL', { kill: { task_id: { value: id } } })).status).toBe(202);
    const killed = await scheduler.update(id, 'TASK_KILLED', 60000);
    await scheduler.acknowledge(killed.update.status);
    expect(killed.update.status).toMatchObject({ source: 'SOURCE_EXECUTOR', message: 'Command exited with status 0' });
    expect(await readFile(stdout, 'utf8')).toBe('started\ncaught TERM, cleaning up\n');
  }, 120000);

  it('fails tasks this agent cannot run at once, saying why', async () => {
    const { terminal } = await runToEnd([
      { id: 'missing-image', command: { value: 'true' }, container: { type: 'DOCKER', docker: { image: 'agora/never-built:1.0' } } },
      { id: 'bridged', command: { value: 'true' }, container: inBusybox({ network: 'BRIDGE' }) },
    ]);
    expect(terminal.get('missing-image')).toMatchObject({
      state: 'TASK_FAILED',
      source: 'SOURCE_AGENT',
      reason: 'REASON_CONTAINER_LAUNCH_FAILED',
      message: expect.stringMatching(/^Docker image 'agora\/never-built:1\.0' is not present on this agent, and it cannot be pulled/),
    });
    expect(terminal.get('bridged')).toMatchObject({
      state: 'TASK_FAILED',
      reason: 'REASON_CONTAINER_LAUNCH_FAILED',
      message: expect.stringMatching(/network BRIDGE is not supported on this agent/),
    });
  }, 120000);

  /** The sandbox of a task (its executor has the task's id), from whichever agent runs it. */
  async function sandboxOf(taskId: string): Promise<string> {
    return eventually(async () => {
      for (const url of cluster.agentUrls) {
        type Executor = { id: string; directory: string };
        const state = (await (await fetch(`${url}/state`)).json()) as {
          frameworks: { executors: Executor[]; completed_executors: Executor[] }[];
          completed_frameworks: { completed_executors: Executor[] }[];
        };
        const executors = [
          ...state.frameworks.flatMap((f) => [...f.executors, ...f.completed_executors]),
          ...state.completed_frameworks.flatMap((f) => f.completed_executors),
        ];
        const found = executors.find((e) => e.id === taskId && e.directory !== '');
        if (found !== undefined) return found.directory;
      }
      return undefined;
    }, 30000, `the sandbox of ${taskId}`);
  }

  /** Containers (any state) the engine holds for a framework, by the label the agent puts on them. */
  function containersOf(frameworkId: string): Promise<unknown[]> {
    const socketPath = dockerHost.replace(/^unix:\/\//, '');
    const filters = encodeURIComponent(JSON.stringify({ label: [`agora.framework-id=${frameworkId}`] }));
    return new Promise((resolve, reject) => {
      request({ socketPath, path: `/containers/json?all=1&filters=${filters}` }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => (res.statusCode === 200 ? resolve(JSON.parse(body) as unknown[]) : reject(new Error(`engine answered ${res.statusCode}: ${body}`))));
      })
        .on('error', reject)
        .end();
    });
  }
});
