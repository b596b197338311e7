/**
 * What roles consume of their quota, as Mesos's master counts it (`RoleResourceBreakdown::
 * consumedQuota`, reference §4.2): everything the role's subtree holds (tasks and executors,
 * by allocation role), plus what is reserved to its subtree on registered agents and not in use.
 * Outstanding offers do not count here (the allocator counts them while it decides; an
 * UPDATE_QUOTA rescinds them anyway). Scalars only, revocable ones excluded. Pure, and one pass
 * over agents, tasks and executors however many roles are asked for.
 */
import { ResourceQuantities, type Resources, roleAncestors } from '@agora/resources';
import type { AgentRecord, ExecutorRecord, FrameworkRecord } from '../cluster/records';

/** The part of the live state consumption is computed from (ClusterState satisfies it). */
export interface ConsumptionView {
  readonly agents: ReadonlyMap<string, Pick<AgentRecord, 'id' | 'total'>>;
  readonly frameworks: ReadonlyMap<string, Pick<FrameworkRecord, 'tasks'>>;
  readonly executors?: ReadonlyMap<string, Pick<ExecutorRecord, 'agentId' | 'role' | 'resources'>>;
}

/** The quota each of `roles` consumes; every role asked for is in the answer. */
export function consumedQuotas(cluster: ConsumptionView, roles: Iterable<string>): Map<string, ResourceQuantities> {
  const wanted = new Set(roles);
  const out = new Map<string, ResourceQuantities>();
  for (const role of wanted) out.set(role, ResourceQuantities.EMPTY);
  if (wanted.size === 0) return out;
  /** The asked-for roles whose subtree holds `role`: itself and its ancestors. */
  const owners = (role: string): string[] => [role, ...roleAncestors(role)].filter((r) => wanted.has(r));
  const add = (map: Map<string, ResourceQuantities>, role: string, q: ResourceQuantities): void => {
    map.set(role, (map.get(role) ?? ResourceQuantities.EMPTY).add(q));
  };
  // Reservations in use, by agent then role, to take off the reservations' totals below.
  const usedReserved = new Map<string, Map<string, ResourceQuantities>>();
  const hold = (agentId: string, role: string, resources: Resources): void => {
    const held = resources.nonRevocable();
    const holders = owners(role);
    if (holders.length > 0) {
      const q = held.quantities();
      for (const r of holders) add(out, r, q);
    }
    for (const [reservedTo, part] of held.reservedByRole()) {
      for (const r of owners(reservedTo)) {
        let byRole = usedReserved.get(agentId);
        if (byRole === undefined) usedReserved.set(agentId, (byRole = new Map()));
        add(byRole, r, part.quantities());
      }
    }
  };
  for (const fw of cluster.frameworks.values()) {
    for (const task of fw.tasks.values()) if (!task.released) hold(task.agentId, task.role, task.resources);
  }
  for (const executor of cluster.executors?.values() ?? []) hold(executor.agentId, executor.role, executor.resources);
  for (const agent of cluster.agents.values()) {
    const reserved = new Map<string, ResourceQuantities>();
    for (const [reservedTo, part] of agent.total.nonRevocable().reservedByRole()) {
      for (const r of owners(reservedTo)) add(reserved, r, part.quantities());
    }
    const used = usedReserved.get(agent.id);
    for (const [r, q] of reserved) add(out, r, q.subtract(used?.get(r) ?? ResourceQuantities.EMPTY));
  }
  return out;
}

/** The quota `role` consumes. */
export function consumedQuota(cluster: ConsumptionView, role: string): ResourceQuantities {
  return consumedQuotas(cluster, [role]).get(role) ?? ResourceQuantities.EMPTY;
}

/** Non-revocable scalars of every registered agent: what quota guarantees must fit in. */
export function clusterCapacity(cluster: Pick<ConsumptionView, 'agents'>): ResourceQuantities {
  let total = ResourceQuantities.EMPTY;
  for (const agent of cluster.agents.values()) total = total.add(agent.total.nonRevocable().quantities());
  return total;
}
