import type { OperatorEvent } from '@agora/protocol';
import type { ClusterEvent } from '../../../cluster/cluster-events';
import type { AgentRecord, FrameworkRecord, TaskRecord } from '../../../cluster/records';
import { ClusterBuilder } from '../../testing/cluster-builder';
import { renderOperatorEvent, renderSubscribed } from './events';
import { renderGetAgents, renderGetFrameworks, renderGetState } from './responses';

interface Fixture {
  readonly c: ClusterBuilder;
  readonly agent: AgentRecord;
  readonly fw: FrameworkRecord;
  readonly task: TaskRecord;
}

function cluster(): Fixture {
  const c = new ClusterBuilder();
  const agent = c.agent('a1', { resources: 'cpus:4;mem:1024' });
  const fw = c.framework('f1', { roles: ['web'] });
  const task = c.task('f1', 'a1', 't1', { resources: 'cpus:1' });
  c.offer('o1', 'f1', 'a1', 'cpus:2');
  return { c, agent, fw, task };
}

describe('operator events', () => {
  it('SUBSCRIBED carries the state as GET_STATE renders it, and the heartbeat interval', () => {
    const { c } = cluster();
    expect(renderSubscribed(c.state, 15)).toEqual({ type: 'SUBSCRIBED', subscribed: { get_state: renderGetState(c.state), heartbeat_interval_seconds: 15 } });
  });

  it.each<[string, (f: Fixture) => ClusterEvent, (f: Fixture) => OperatorEvent]>([
    [
      'TASK_ADDED: the task as GET_TASKS shows it',
      ({ task }) => ({ type: 'TASK_ADDED', task }),
      ({ c }) => ({ type: 'TASK_ADDED', task_added: { task: renderGetState(c.state).get_tasks.tasks[0] } }),
    ],
    [
      'TASK_UPDATED: the framework, the status (without data) and the latest state',
      ({ task }) => ({ type: 'TASK_UPDATED', task, status: { task_id: { value: 't1' }, state: 'TASK_STARTING', data: 'aGk=', timestamp: 9 } }),
      () => ({ type: 'TASK_UPDATED', task_updated: { framework_id: { value: 'f1' }, status: { task_id: { value: 't1' }, state: 'TASK_STARTING', timestamp: 9 }, state: 'TASK_RUNNING' } }),
    ],
    [
      'FRAMEWORK_ADDED: the framework as GET_FRAMEWORKS shows it, offers and holdings included',
      ({ fw }) => ({ type: 'FRAMEWORK_ADDED', framework: fw }),
      ({ c }) => ({ type: 'FRAMEWORK_ADDED', framework_added: { framework: renderGetFrameworks(c.state).frameworks[0] } }),
    ],
    [
      'FRAMEWORK_UPDATED: likewise',
      ({ fw }) => ({ type: 'FRAMEWORK_UPDATED', framework: fw }),
      ({ c }) => ({ type: 'FRAMEWORK_UPDATED', framework_updated: { framework: renderGetFrameworks(c.state).frameworks[0] } }),
    ],
    [
      'FRAMEWORK_REMOVED: its FrameworkInfo with its id',
      ({ fw }) => ({ type: 'FRAMEWORK_REMOVED', framework: fw }),
      () => ({ type: 'FRAMEWORK_REMOVED', framework_removed: { framework_info: { id: { value: 'f1' }, user: 'alice', name: 'fw-f1', role: 'web', capabilities: [] } } }),
    ],
    [
      'AGENT_ADDED: the agent as GET_AGENTS shows it',
      ({ agent }) => ({ type: 'AGENT_ADDED', agent }),
      ({ c }) => ({ type: 'AGENT_ADDED', agent_added: { agent: renderGetAgents(c.state).agents[0] } }),
    ],
    ['AGENT_REMOVED: its id', () => ({ type: 'AGENT_REMOVED', agentId: 'a1' }), () => ({ type: 'AGENT_REMOVED', agent_removed: { agent_id: { value: 'a1' } } })],
  ])('%s', (_case, event, expected) => {
    const fixture = cluster();
    expect(renderOperatorEvent(event(fixture), fixture.c.state)).toEqual(expected(fixture));
  });
});
