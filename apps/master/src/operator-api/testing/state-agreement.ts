/**
 * What "GET_STATE agrees with /state" means, in one place for the renderer tests and the HTTP
 * integration test: the same agents (ids, totals, what is used and offered on each), the same
 * frameworks (registered and completed, their flags and holdings, their offers), and the same
 * tasks (ids, frameworks, agents, states, resources) in the same lists. Resources are compared
 * in v0 form, which both sides reduce to.
 */
import type { GetState, OperatorTask, Resource } from '@agora/protocol';
import { fromV1, toV0, type V0Resources } from '@agora/resources';
import type { StateJson, TaskJson } from '../render/json';

const v0 = (resources: readonly Resource[]): V0Resources => toV0(fromV1(resources));

const v1Task = (t: OperatorTask) => ({ id: t.task_id.value, framework: t.framework_id.value, agent: t.agent_id.value, state: t.state, resources: v0(t.resources) });
const v0Task = (t: TaskJson) => ({ id: t.id, framework: t.framework_id, agent: t.slave_id, state: t.state, resources: t.resources });
const byId = <T extends { id: string }>(list: T[]): T[] => [...list].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

/** The two views of one cluster, reduced to what both must say; equal when they agree. */
export function stateViews(state: StateJson, getState: GetState): { v0: unknown; v1: unknown } {
  const v0Frameworks = [...state.frameworks, ...state.completed_frameworks];
  return {
    v0: {
      agents: byId(
        state.slaves.map((s) => ({ id: s.id, hostname: s.hostname, active: s.active, total: s.resources, used: s.used_resources, offered: s.offered_resources })),
      ),
      frameworks: byId(
        state.frameworks.map((f) => ({ id: f.id, name: f.name, active: f.active, connected: f.connected, recovered: f.recovered, used: f.used_resources, offered: f.offered_resources, offers: f.offers.map((o) => o.id).sort() })),
      ),
      completed: byId(state.completed_frameworks.map((f) => ({ id: f.id }))),
      tasks: byId(v0Frameworks.flatMap((f) => f.tasks.map(v0Task))),
      unreachable: byId(v0Frameworks.flatMap((f) => f.unreachable_tasks.map(v0Task))),
      completedTasks: byId(v0Frameworks.flatMap((f) => f.completed_tasks.map(v0Task))),
    },
    v1: {
      agents: byId(
        getState.get_agents.agents.map((a) => ({
          id: a.agent_info.id.value,
          hostname: a.agent_info.hostname,
          active: a.active,
          total: v0(a.total_resources),
          used: v0(a.allocated_resources),
          offered: v0(a.offered_resources),
        })),
      ),
      frameworks: byId(
        getState.get_frameworks.frameworks.map((f) => ({
          id: f.framework_info.id.value,
          name: f.framework_info.name,
          active: f.active,
          connected: f.connected,
          recovered: f.recovered,
          used: v0(f.allocated_resources),
          offered: v0(f.offered_resources),
          offers: f.offers.map((o) => o.id.value).sort(),
        })),
      ),
      completed: byId(getState.get_frameworks.completed_frameworks.map((f) => ({ id: f.framework_info.id.value }))),
      tasks: byId(getState.get_tasks.tasks.map(v1Task)),
      unreachable: byId(getState.get_tasks.unreachable_tasks.map(v1Task)),
      completedTasks: byId(getState.get_tasks.completed_tasks.map(v1Task)),
    },
  };
}
