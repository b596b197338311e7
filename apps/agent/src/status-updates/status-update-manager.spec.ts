import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { AgoraBus, InProcessTransport } from '@agora/bus';
import type { StatusUpdate, TaskEnded, TaskState, TaskStatus } from '@agora/protocol';
import { FakeClock } from '../clock/fake-clock';
import { loadAgentConfig } from '../config/agent.config';
import { AgentSession } from '../session/agent-session';
import { InMemoryJournal } from './status-update-journal';
import { StatusUpdateManager } from './status-update-manager';

/** The manager with fake time, sending into a bus whose `toMaster` is recorded. */
function setup(retry = { min: 10_000, max: 600_000 }, busWorks = true) {
  const clock = new FakeClock();
  const session = new AgentSession();
  session.agentId = 'agent-1';
  const bus = new AgoraBus(new InProcessTransport());
  const sent: StatusUpdate[] = [];
  const ended: TaskEnded[] = [];
  jest.spyOn(bus, 'toMaster').mockImplementation((kind, message) => {
    if (!busWorks) throw new Error('the bus is closed');
    if (kind === 'status-update') sent.push(message as StatusUpdate);
    if (kind === 'task-ended') ended.push(message as TaskEnded);
  });
  const config = loadAgentConfig({ statusUpdateRetryMinMs: retry.min, statusUpdateRetryMaxMs: retry.max }, {});
  const manager = new StatusUpdateManager(bus, clock, session, config, new InMemoryJournal());
  const closed: string[] = [];
  manager.onStreamClosed((fw, task) => closed.push(`${fw}/${task}`));
  return { clock, manager, sent, ended, closed, session };
}

/** New heads go out at the end of the tick (process.nextTick). */
const endOfTick = (): Promise<void> => new Promise((resolve) => process.nextTick(resolve));

let n = 0;
const status = (state: TaskState, task = 't1'): TaskStatus & { uuid: string } => ({ task_id: { value: task }, state, uuid: `uuid-${++n}` });

describe('StatusUpdateManager', () => {
  beforeAll(() => Logger.overrideLogger(false));

  it('sends nothing while paused (not registered) and flushes every head on resume', () => {
    const { manager, sent } = setup();
    manager.update('fw', status('TASK_STARTING', 't1'));
    manager.update('fw', status('TASK_RUNNING', 't1'));
    manager.update('fw', status('TASK_STARTING', 't2'));
    expect(sent).toHaveLength(0);
    manager.resume();
    expect(sent.map((u) => `${u.status.task_id.value}:${u.status.state}`)).toEqual(['t1:TASK_STARTING', 't2:TASK_STARTING']);
  });

  it('sends the head at the end of the tick with the agent and framework ids and the latest state', async () => {
    const { manager, sent } = setup();
    manager.resume();
    const running = status('TASK_RUNNING');
    manager.update('fw', running);
    expect(sent).toHaveLength(0);
    await endOfTick();
    expect(sent).toEqual([{ agent_id: { value: 'agent-1' }, framework_id: { value: 'fw' }, status: running, latest_state: 'TASK_RUNNING' }]);
  });

  it('sends updates queued in one tick as one head whose latest state is the last', async () => {
    const { manager, sent } = setup();
    manager.resume();
    const starting = status('TASK_STARTING');
    manager.update('fw', starting);
    manager.update('fw', status('TASK_RUNNING'));
    manager.update('fw', status('TASK_FINISHED'));
    await endOfTick();
    expect(sent).toEqual([{ agent_id: { value: 'agent-1' }, framework_id: { value: 'fw' }, status: starting, latest_state: 'TASK_FINISHED' }]);
  });

  it('tells the master at once when a terminal update queues behind a head already out, keeping its resend schedule', async () => {
    const { manager, sent, ended, clock } = setup();
    manager.resume();
    manager.update('fw', status('TASK_STARTING'));
    await endOfTick();
    const delays = clock.pendingDelays();
    manager.update('fw', status('TASK_RUNNING'));
    expect(ended).toHaveLength(0);
    manager.update('fw', status('TASK_FINISHED'));
    expect(sent).toHaveLength(1);
    expect(ended).toEqual([{ agent_id: { value: 'agent-1' }, framework_id: { value: 'fw' }, task_id: { value: 't1' }, latest_state: 'TASK_FINISHED' }]);
    expect(clock.pendingDelays()).toEqual(delays);
  });

  it('resends an unacknowledged head with doubling waits up to the maximum', async () => {
    const { manager, sent, clock } = setup({ min: 10_000, max: 60_000 });
    manager.resume();
    manager.update('fw', status('TASK_RUNNING'));
    await endOfTick();
    const waits: number[] = [];
    for (let i = 0; i < 6; i++) {
      const [next] = clock.pendingDelays();
      waits.push(next);
      clock.advance(next);
    }
    expect(waits).toEqual([10_000, 20_000, 40_000, 60_000, 60_000, 60_000]);
    expect(sent).toHaveLength(7);
    expect(new Set(sent.map((u) => u.status.uuid)).size).toBe(1);
  });

  it('on acknowledgement pops the head and sends the next at once, its backoff starting over', async () => {
    const { manager, sent, clock } = setup();
    manager.resume();
    const starting = status('TASK_STARTING');
    const running = status('TASK_RUNNING');
    manager.update('fw', starting);
    manager.update('fw', running);
    await endOfTick();
    clock.advance(10_000); // one resend of STARTING
    clock.advance(20_000); // and another
    expect(manager.acknowledge('fw', 't1', starting.uuid)).toBe('popped');
    expect(sent.map((u) => u.status.state)).toEqual(['TASK_STARTING', 'TASK_STARTING', 'TASK_STARTING', 'TASK_RUNNING']);
    expect(clock.pendingDelays()).toEqual([10_000]);
  });

  it('reports latest_state ahead of the head while updates queue', async () => {
    const { manager, sent } = setup();
    manager.resume();
    manager.update('fw', status('TASK_STARTING'));
    await endOfTick();
    manager.update('fw', status('TASK_RUNNING'));
    manager.update('fw', status('TASK_FINISHED'));
    manager.acknowledge('fw', 't1', sent[0].status.uuid as string);
    expect(sent.map((u) => [u.status.state, u.latest_state])).toEqual([
      ['TASK_STARTING', 'TASK_STARTING'],
      ['TASK_RUNNING', 'TASK_FINISHED'],
    ]);
  });

  it('ignores duplicate and unexpected acknowledgements', async () => {
    const { manager, sent, clock } = setup();
    manager.resume();
    const starting = status('TASK_STARTING');
    const running = status('TASK_RUNNING');
    manager.update('fw', starting);
    manager.update('fw', running);
    await endOfTick();
    manager.acknowledge('fw', 't1', starting.uuid);
    expect(manager.acknowledge('fw', 't1', starting.uuid)).toBe('duplicate');
    expect(manager.acknowledge('fw', 't1', 'bogus')).toBe('unexpected');
    expect(manager.acknowledge('fw', 'other-task', 'bogus')).toBe('unknown-task');
    expect(sent.map((u) => u.status.state)).toEqual(['TASK_STARTING', 'TASK_RUNNING']);
    expect(manager.head('fw', 't1')).toBe(running);
    clock.advance(10_000);
    expect(sent.map((u) => u.status.state)).toEqual(['TASK_STARTING', 'TASK_RUNNING', 'TASK_RUNNING']);
  });

  it('forgets a task once its terminal update is acknowledged', () => {
    const { manager, clock, closed } = setup();
    manager.resume();
    const finished = status('TASK_FINISHED');
    manager.update('fw', finished);
    manager.acknowledge('fw', 't1', finished.uuid);
    expect(closed).toEqual(['fw/t1']);
    expect(manager.pendingStreams).toBe(0);
    expect(clock.pendingDelays()).toEqual([]);
  });

  it('stops retrying while paused and resends at once when resumed', async () => {
    const { manager, sent, clock } = setup();
    manager.resume();
    manager.update('fw', status('TASK_RUNNING'));
    await endOfTick();
    manager.pause();
    clock.advance(3_600_000);
    expect(sent).toHaveLength(1);
    manager.resume();
    expect(sent).toHaveLength(2);
    expect(clock.pendingDelays()).toEqual([10_000]);
  });

  it('drops the streams of a framework that was shut down', async () => {
    const { manager, sent, clock } = setup();
    manager.resume();
    manager.update('fw', status('TASK_RUNNING', 't1'));
    manager.update('other', status('TASK_RUNNING', 't2'));
    await endOfTick();
    manager.cleanup('fw');
    clock.advance(10_000);
    expect(sent.map((u) => u.framework_id.value)).toEqual(['fw', 'other', 'other']);
  });

  it('keeps retrying when the bus refuses a send', async () => {
    const { manager, clock } = setup(undefined, false);
    manager.resume();
    manager.update('fw', status('TASK_RUNNING'));
    await endOfTick();
    expect(clock.pendingDelays()).toEqual([10_000]);
  });
});
