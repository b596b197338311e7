/**
 * The operator event stream's events (master.proto `Event`): SUBSCRIBED carries the whole state
 * as GET_STATE does; every other event renders one change ClusterEvents reported, at the moment
 * it is reported (so it shows the records as the change left them). Pure.
 */
import type { OperatorEvent } from '@agora/protocol';
import type { ClusterEvent } from '../../../cluster/cluster-events';
import type { ClusterView } from '../../render/inputs';
import {
  ExecutorIndex,
  holdingsOfAgent,
  holdingsOfFramework,
  renderV1Agent,
  renderV1Framework,
  renderV1Status,
  renderV1Task,
} from './entities';
import { renderGetState } from './responses';

export function renderSubscribed(cluster: ClusterView, heartbeatIntervalSeconds: number): OperatorEvent {
  return { type: 'SUBSCRIBED', subscribed: { get_state: renderGetState(cluster), heartbeat_interval_seconds: heartbeatIntervalSeconds } };
}

export function renderOperatorEvent(event: ClusterEvent, cluster: ClusterView): OperatorEvent {
  switch (event.type) {
    case 'TASK_ADDED':
      return { type: 'TASK_ADDED', task_added: { task: renderV1Task(event.task) } };
    case 'TASK_UPDATED':
      return {
        type: 'TASK_UPDATED',
        task_updated: { framework_id: { value: event.task.frameworkId }, status: renderV1Status(event.status), state: event.task.state },
      };
    case 'FRAMEWORK_ADDED':
    case 'FRAMEWORK_UPDATED': {
      const fw = event.framework;
      const executors = new ExecutorIndex([...cluster.executors.values()].filter((e) => e.frameworkId === fw.id));
      const framework = renderV1Framework(fw, holdingsOfFramework(fw, cluster.offers), cluster, executors);
      return event.type === 'FRAMEWORK_ADDED'
        ? { type: 'FRAMEWORK_ADDED', framework_added: { framework } }
        : { type: 'FRAMEWORK_UPDATED', framework_updated: { framework } };
    }
    case 'FRAMEWORK_REMOVED':
      return { type: 'FRAMEWORK_REMOVED', framework_removed: { framework_info: { ...event.framework.info, id: { value: event.framework.id } } } };
    case 'AGENT_ADDED':
      return { type: 'AGENT_ADDED', agent_added: { agent: renderV1Agent(event.agent, holdingsOfAgent(event.agent, cluster.offers)) } };
    case 'AGENT_REMOVED':
      return { type: 'AGENT_REMOVED', agent_removed: { agent_id: { value: event.agentId } } };
  }
}
