import { randomUUID } from 'node:crypto';
import { type Offer, type TaskState, type TaskStatus, uuidToBase64 } from '@agora/protocol';
import { FakeAgent } from '../testing/fake-agent';
import { FakeMaster } from '../testing/fake-master';
import { CollectedOutput } from '../testing/output-sink';
import { EXIT_INTERRUPTED, RunSpec, runTask } from './task-run';

const TASK = 'agora-run-test';
const AGENT = 'fake-master-S1';
const ROLE = 'eng';
const SANDBOX = `/work/slaves/${AGENT}/frameworks/fw/executors/${TASK}/runs/latest`;

describe('agora run against a fake master and agent', () => {
  let master: FakeMaster;
  let agent: FakeAgent;

  beforeEach(async () => {
    master = await FakeMaster.start();
    agent = await FakeAgent.start();
    agent.addExecutor({ frameworkId: master.frameworkId, executorId: TASK, directory: SANDBOX });
  });

  afterEach(async () => {
    await master.close();
    await agent.close();
  });

  /** Starts `agora run` in the background; the test plays the master. */
  function start(overrides: Partial<RunSpec> = {}) {
    const stdout = new CollectedOutput();
    const stderr = new CollectedOutput();
    const logs: string[] = [];
    let interrupt: (() => void) | undefined;
    const exit = runTask(
      {
        master: master.url,
        user: 'alice',
        role: ROLE,
        task: { taskId: TASK, name: 'agora-run', command: "echo 'a b'", env: [], cpus: 0.1, mem: 32 },
        timeoutSeconds: 60,
        verbose: false,
        ...overrides,
      },
      {
        io: { writeOut: stdout.sink, writeErr: stderr.sink, log: (line) => logs.push(line) },
        onInterrupt: (handler) => {
          interrupt = handler;
          return () => (interrupt = undefined);
        },
        pollIntervalMs: 5,
      },
    );
    return { exit, stdout, stderr, logs, interrupt: () => interrupt?.() };
  }

  function offer(id: string, cpus: number, mem: number): Offer {
    const allocation = { allocation_info: { role: ROLE } };
    return {
      id: { value: id },
      framework_id: { value: master.frameworkId },
      agent_id: { value: AGENT },
      hostname: 'node-1',
      url: { scheme: 'http', address: { hostname: 'node-1', ip: '127.0.0.1', port: agent.port }, path: '/slave(1)' },
      ...allocation,
      resources: [
        { name: 'cpus', type: 'SCALAR', scalar: { value: cpus }, role: '*', ...allocation },
        { name: 'mem', type: 'SCALAR', scalar: { value: mem }, role: '*', ...allocation },
      ],
    };
  }

  /** Sends an UPDATE with a fresh uuid and returns the uuid, as the master forwards agent updates. */
  function update(state: TaskState, extra: Partial<TaskStatus> = {}): string {
    const uuid = uuidToBase64(randomUUID());
    master.send({
      type: 'UPDATE',
      update: { status: { task_id: { value: TASK }, state, agent_id: { value: AGENT }, source: 'SOURCE_EXECUTOR', uuid, ...extra } },
    });
    return uuid;
  }

  /** Waits for the TEARDOWN and checks it came while the subscription was still open (202). */
  async function tornDown(): Promise<void> {
    expect((await master.nextCall('TEARDOWN')).status).toBe(202);
  }

  /** Subscribes, offers one fitting offer and waits for the launch. */
  async function launched(run: ReturnType<typeof start>): Promise<void> {
    await master.nextCall('SUBSCRIBE');
    master.send({ type: 'OFFERS', offers: { offers: [offer('O1', 1, 1024)] } });
    await master.nextCall('ACCEPT');
    void run;
  }

  it('subscribes, launches on the offer that fits, acknowledges updates, streams output and exits 0', async () => {
    const run = start();
    const subscribe = await master.nextCall('SUBSCRIBE');
    expect(subscribe.body).toEqual({
      type: 'SUBSCRIBE',
      subscribe: {
        framework_info: {
          user: 'alice',
          name: 'agora-run',
          roles: [ROLE],
          capabilities: [{ type: 'MULTI_ROLE' }],
          failover_timeout: 0,
        },
      },
    });

    master.send({ type: 'OFFERS', offers: { offers: [offer('O-small', 0.05, 1024), offer('O-big', 2, 4096)] } });
    const accept = await master.nextCall('ACCEPT');
    expect(accept.headers['mesos-stream-id']).toBe(master.streamId);
    expect(accept.headers['content-type']).toBe('application/json');
    expect(accept.headers.accept).toBe('application/json');
    expect(accept.body).toEqual({
      type: 'ACCEPT',
      framework_id: { value: master.frameworkId },
      accept: {
        offer_ids: [{ value: 'O-big' }],
        operations: [
          {
            type: 'LAUNCH',
            launch: {
              task_infos: [
                {
                  name: 'agora-run',
                  task_id: { value: TASK },
                  agent_id: { value: AGENT },
                  resources: [
                    { name: 'cpus', type: 'SCALAR', scalar: { value: 0.1 }, role: '*', allocation_info: { role: ROLE } },
                    { name: 'mem', type: 'SCALAR', scalar: { value: 32 }, role: '*', allocation_info: { role: ROLE } },
                  ],
                  command: { value: "echo 'a b'", shell: true },
                },
              ],
            },
          },
        ],
      },
    });
    // Declined for a long while: once launched, this framework needs no more offers.
    const decline = await master.nextCall('DECLINE');
    expect(decline.body).toEqual({
      type: 'DECLINE',
      framework_id: { value: master.frameworkId },
      decline: { offer_ids: [{ value: 'O-small' }], filters: { refuse_seconds: 3600 } },
    });

    agent.append(`${SANDBOX}/stdout`, 'a b\n');
    agent.append(`${SANDBOX}/stderr`, 'to stderr\n');
    const acks: string[] = [];
    for (const state of ['TASK_STARTING', 'TASK_RUNNING'] as const) {
      acks.push(update(state));
      const ack = await master.nextCall('ACKNOWLEDGE');
      expect(ack.headers['mesos-stream-id']).toBe(master.streamId);
      expect(ack.body).toEqual({
        type: 'ACKNOWLEDGE',
        framework_id: { value: master.frameworkId },
        acknowledge: { agent_id: { value: AGENT }, task_id: { value: TASK }, uuid: acks[acks.length - 1] },
      });
    }
    // Output arrives while the task runs, not only at the end.
    await run.stdout.waitFor('a b\n');

    // An update without uuid (a reconciliation answer) is never acknowledged.
    master.send({ type: 'UPDATE', update: { status: { task_id: { value: TASK }, state: 'TASK_RUNNING', source: 'SOURCE_MASTER' } } });
    master.send({ type: 'OFFERS', offers: { offers: [offer('O-late', 2, 4096)] } });
    const late = await master.nextCall('DECLINE');
    expect(late.body).toMatchObject({ decline: { offer_ids: [{ value: 'O-late' }], filters: { refuse_seconds: 3600 } } });

    agent.append(`${SANDBOX}/stdout`, 'last line\n');
    const finished = update('TASK_FINISHED', { message: 'Command exited with status 0' });
    expect((await master.nextCall('ACKNOWLEDGE')).body).toMatchObject({ acknowledge: { uuid: finished } });
    await tornDown();

    expect(await run.exit).toBe(0);
    expect(run.stdout.text).toBe('a b\nlast line\n');
    expect(run.stderr.text).toBe('to stderr\n');
    expect(run.logs).toEqual([]);
    expect(master.callsOf('ACKNOWLEDGE')).toHaveLength(3);
    expect(master.callsOf('KILL')).toHaveLength(0);
  });

  it('exits with the command’s own status when the task fails', async () => {
    const run = start();
    await launched(run);
    agent.append(`${SANDBOX}/stderr`, 'boom\n');
    update('TASK_RUNNING');
    update('TASK_FAILED', { message: 'Command exited with status 3' });
    await tornDown();
    expect(await run.exit).toBe(3);
    expect(run.stderr.text).toBe('boom\n');
    expect(run.logs).toEqual([]);
  });

  it('kills the task on Ctrl+C, waits for TASK_KILLED, tears down and exits 137', async () => {
    const run = start();
    await launched(run);
    update('TASK_RUNNING');
    await master.nextCall('ACKNOWLEDGE');

    run.interrupt();
    const kill = await master.nextCall('KILL');
    expect(kill.body).toEqual({
      type: 'KILL',
      framework_id: { value: master.frameworkId },
      kill: { task_id: { value: TASK }, agent_id: { value: AGENT } },
    });
    expect(master.callsOf('TEARDOWN')).toHaveLength(0); // still waiting for the task to end

    update('TASK_KILLED', { message: 'Command terminated with signal Terminated' });
    await tornDown();
    expect(await run.exit).toBe(137);
    expect(run.logs).toEqual([
      `interrupted; killing task ${TASK} (Ctrl+C again to stop waiting)`,
      `task ${TASK} TASK_KILLED: Command terminated with signal Terminated`,
    ]);
  });

  it('stops waiting on a second Ctrl+C', async () => {
    const run = start();
    await launched(run);
    run.interrupt();
    await master.nextCall('KILL');
    run.interrupt();
    await tornDown();
    expect(await run.exit).toBe(EXIT_INTERRUPTED);
  });

  it('declines offers that are too small with the default filter, and keeps waiting', async () => {
    const run = start();
    await master.nextCall('SUBSCRIBE');
    master.send({ type: 'OFFERS', offers: { offers: [offer('O-small', 0.05, 16)] } });
    expect((await master.nextCall('DECLINE')).body).toEqual({
      type: 'DECLINE',
      framework_id: { value: master.frameworkId },
      decline: { offer_ids: [{ value: 'O-small' }] },
    });
    master.send({ type: 'OFFERS', offers: { offers: [offer('O-big', 1, 64)] } });
    expect((await master.nextCall('ACCEPT')).body.accept.offer_ids).toEqual([{ value: 'O-big' }]);
    update('TASK_FINISHED');
    expect(await run.exit).toBe(0);
  });

  it('tears down and exits 130 on Ctrl+C before any offer fits', async () => {
    const run = start();
    await master.nextCall('SUBSCRIBE');
    // Once a too-small offer is declined, the client is surely subscribed.
    master.send({ type: 'OFFERS', offers: { offers: [offer('O-small', 0.05, 16)] } });
    await master.nextCall('DECLINE');
    run.interrupt();
    await tornDown();
    expect(await run.exit).toBe(EXIT_INTERRUPTED);
    expect(run.logs).toEqual(['interrupted before the task was launched']);
  });

  it('exits 130 on Ctrl+C while the master has not answered SUBSCRIBE', async () => {
    await master.close();
    master = await FakeMaster.start({ holdSubscribe: true });
    const run = start();
    await master.nextCall('SUBSCRIBE');
    run.interrupt();
    expect(await run.exit).toBe(EXIT_INTERRUPTED);
    expect(run.logs).toEqual(['interrupted while subscribing']);
  });

  it('gives up after --timeout without a fitting offer, saying what it needed', async () => {
    const run = start({ timeoutSeconds: 0.05 });
    await tornDown();
    expect(await run.exit).toBe(1);
    expect(run.logs).toEqual([
      "no offer with 0.1 cpus and 32 MB of memory for role 'eng' within 0.05 s (no offers arrived); " +
        'is an agent with enough free resources registered?',
    ]);
  });

  it('reports a task the master refused, without waiting for a sandbox that never existed', async () => {
    const run = start();
    await launched(run);
    master.send({
      type: 'UPDATE',
      update: {
        status: {
          task_id: { value: TASK },
          state: 'TASK_ERROR',
          source: 'SOURCE_MASTER',
          reason: 'REASON_TASK_INVALID',
          message: 'Total resources cpus:0.1; mem:32 required by task is more than available',
        },
      },
    });
    await tornDown();
    expect(await run.exit).toBe(1);
    expect(run.logs).toEqual([
      `task ${TASK} TASK_ERROR (REASON_TASK_INVALID): Total resources cpus:0.1; mem:32 required by task is more than available`,
    ]);
    expect(agent.reads).toEqual([]);
  });

  it('exits 1 on an ERROR event, printing the master’s message', async () => {
    const run = start();
    await master.nextCall('SUBSCRIBE');
    master.send({ type: 'ERROR', error: { message: 'Framework failed over' } });
    expect(await run.exit).toBe(1);
    expect(run.logs).toEqual(['the master reported an error: Framework failed over']);
  });

  it('exits 1 when the master refuses the subscription, with its reason', async () => {
    await master.close();
    master = await FakeMaster.start({ refuseSubscribe: { status: 400, body: "Role 'eng' is not allowed" } });
    const run = start();
    expect(await run.exit).toBe(1);
    expect(run.logs).toEqual([
      `cannot subscribe to the master at ${master.url}: the master refused SUBSCRIBE: 400 Bad Request: Role 'eng' is not allowed`,
    ]);
  });

  it('exits 1 naming the master when nothing listens there', async () => {
    const url = master.url;
    await master.close();
    master = await FakeMaster.start(); // for afterEach
    const run = start({ master: url });
    expect(await run.exit).toBe(1);
    expect(run.logs).toEqual([`cannot reach the master at ${url} (connection refused); is it running?`]);
  });

  it('gives up on a master that sends nothing, not even heartbeats, for five intervals', async () => {
    await master.close();
    master = await FakeMaster.start({ heartbeatIntervalSeconds: 0.01 });
    const run = start();
    expect(await run.exit).toBe(1);
    expect(run.logs).toEqual(['nothing from the master for 0.05 s (not even a heartbeat); giving up']);
  });

  it('exits 1 when the master refuses the ACCEPT', async () => {
    await master.close();
    master = await FakeMaster.start({ refuseCall: { type: 'ACCEPT', status: 400, body: 'Failed to validate scheduler::Call' } });
    const run = start();
    await master.nextCall('SUBSCRIBE');
    master.send({ type: 'OFFERS', offers: { offers: [offer('O1', 1, 1024)] } });
    expect(await run.exit).toBe(1);
    expect(run.logs).toEqual(['the master refused ACCEPT: 400 Bad Request: Failed to validate scheduler::Call']);
  });

  it('exits 1 when the master ends the stream while the task runs', async () => {
    const run = start();
    await launched(run);
    update('TASK_RUNNING');
    await master.nextCall('ACKNOWLEDGE');
    master.endStream();
    expect(await run.exit).toBe(1);
    expect(run.logs).toEqual(['the master closed the event stream before the task ended']);
  });
});
