import 'reflect-metadata';
import { type OperatorEvent, RecordIODecoder } from '@agora/protocol';
import { Clock, type TimerHandle } from '../../clock/clock';
import { ClusterEvents } from '../../cluster/cluster-events';
import { loadMasterConfig } from '../../config/master.config';
import { ClusterBuilder } from '../testing/cluster-builder';
import { type EventStreamResponse, OperatorEventStreams } from './operator-event-streams';

/** A response that keeps what is written; `close()` is the client going away. */
class FakeResponse implements EventStreamResponse {
  writableLength = 0;
  ended = false;
  destroyed = false;
  private readonly decoder = new RecordIODecoder();
  private readonly received: OperatorEvent[] = [];
  private readonly closeListeners: (() => void)[] = [];

  write(chunk: Uint8Array): boolean {
    for (const record of this.decoder.decodeText(chunk)) this.received.push(JSON.parse(record) as OperatorEvent);
    return true;
  }
  end(): void {
    this.ended = true;
    this.close();
  }
  destroy(): void {
    this.destroyed = true;
    this.close();
  }
  on(_event: 'close', listener: () => void): void {
    this.closeListeners.push(listener);
  }
  close(): void {
    for (const listener of this.closeListeners) listener();
  }
  get types(): string[] {
    return this.received.map((e) => e.type);
  }
  get events(): readonly OperatorEvent[] {
    return this.received;
  }
}

/** Heartbeats fire when the test ticks. */
class TickingClock extends Clock {
  private readonly periodic = new Set<() => void>();
  override every(_ms: number, run: () => void): TimerHandle {
    this.periodic.add(run);
    return { cancel: () => this.periodic.delete(run) };
  }
  tick(): void {
    for (const run of this.periodic) run();
  }
  get timers(): number {
    return this.periodic.size;
  }
}

describe('OperatorEventStreams', () => {
  let cluster: ClusterBuilder;
  let events: ClusterEvents;
  let clock: TickingClock;
  let streams: OperatorEventStreams;

  beforeEach(() => {
    cluster = new ClusterBuilder();
    cluster.agent('a1');
    cluster.framework('f1');
    events = new ClusterEvents();
    clock = new TickingClock();
    streams = new OperatorEventStreams(cluster.state, events, clock, loadMasterConfig({ maxOperatorEventStreamSubscribers: 2, heartbeatIntervalSeconds: 5 }, {}));
  });

  afterEach(() => streams.onModuleDestroy());

  it('sends SUBSCRIBED with the state first, then the changes in the order they were made', () => {
    const res = new FakeResponse();
    streams.subscribe(res);
    const task = cluster.task('f1', 'a1', 't1', { state: 'TASK_STAGING' });
    events.emit({ type: 'TASK_ADDED', task });
    task.state = 'TASK_RUNNING';
    events.emit({ type: 'TASK_UPDATED', task, status: { task_id: { value: 't1' }, state: 'TASK_RUNNING' } });
    events.emit({ type: 'AGENT_REMOVED', agentId: 'a1' });
    expect(res.types).toEqual(['SUBSCRIBED', 'TASK_ADDED', 'TASK_UPDATED', 'AGENT_REMOVED']);
    const [subscribed, , updated] = res.events;
    expect(subscribed).toMatchObject({ subscribed: { heartbeat_interval_seconds: 5, get_state: { get_agents: { agents: [{ agent_info: { id: { value: 'a1' } } }] } } } });
    expect(updated).toEqual({ type: 'TASK_UPDATED', task_updated: { framework_id: { value: 'f1' }, status: { task_id: { value: 't1' }, state: 'TASK_RUNNING' }, state: 'TASK_RUNNING' } });
  });

  it('sends every subscriber the same events, and HEARTBEAT each interval', () => {
    const first = new FakeResponse();
    const second = new FakeResponse();
    streams.subscribe(first);
    events.emit({ type: 'AGENT_REMOVED', agentId: 'a1' });
    streams.subscribe(second);
    clock.tick();
    events.emit({ type: 'AGENT_REMOVED', agentId: 'a2' });
    expect(first.types).toEqual(['SUBSCRIBED', 'AGENT_REMOVED', 'HEARTBEAT', 'AGENT_REMOVED']);
    expect(second.types).toEqual(['SUBSCRIBED', 'HEARTBEAT', 'AGENT_REMOVED']);
  });

  it('ends the oldest stream when a new one would pass the maximum', () => {
    const [a, b, c] = [new FakeResponse(), new FakeResponse(), new FakeResponse()];
    streams.subscribe(a);
    streams.subscribe(b);
    streams.subscribe(c);
    expect([a.ended, b.ended, c.ended]).toEqual([true, false, false]);
    expect(streams.size).toBe(2);
    events.emit({ type: 'AGENT_REMOVED', agentId: 'a1' });
    expect([a.types, b.types, c.types]).toEqual([['SUBSCRIBED'], ['SUBSCRIBED', 'AGENT_REMOVED'], ['SUBSCRIBED', 'AGENT_REMOVED']]);
  });

  it('cuts off a subscriber that does not read, and keeps serving the others', () => {
    streams.maxBufferedBytes = 1000;
    const slow = new FakeResponse();
    const fast = new FakeResponse();
    streams.subscribe(slow);
    streams.subscribe(fast);
    slow.writableLength = 1001;
    events.emit({ type: 'AGENT_REMOVED', agentId: 'a1' });
    expect(slow.destroyed).toBe(true);
    expect(slow.types).toEqual(['SUBSCRIBED']);
    expect(fast.types).toEqual(['SUBSCRIBED', 'AGENT_REMOVED']);
    expect(streams.size).toBe(1);
  });

  it('forgets a subscriber that went away, and stops listening and heartbeating when none is left', () => {
    const res = new FakeResponse();
    streams.subscribe(res);
    expect(clock.timers).toBe(1);
    res.close();
    expect(streams.size).toBe(0);
    expect(clock.timers).toBe(0);
    events.emit({ type: 'AGENT_REMOVED', agentId: 'a1' });
    expect(res.types).toEqual(['SUBSCRIBED']);
  });

  it('ends every stream when the master stops', () => {
    const res = new FakeResponse();
    streams.subscribe(res);
    streams.onModuleDestroy();
    expect(res.ended).toBe(true);
    expect(streams.size).toBe(0);
  });
});
