/**
 * `/roles`: every role anyone knows of — the allocator's, frameworks' subscriptions, agents'
 * reservations, and the roles resources are allocated or offered to — with its weight (from the
 * allocator), what its tasks hold, what is offered to it, what is reserved for it, and its
 * frameworks. Registered frameworks only; one pass over tasks, offers and agents.
 */
import { type Resources, toV0 } from '@agora/resources';
import type { AllocatorReadings, ClusterView } from './inputs';
import type { RolesJson } from './json';
import { addTo, held } from './usage';

export function renderRoles(cluster: ClusterView, allocator: Pick<AllocatorReadings, 'roles'>): RolesJson {
  const allocated = new Map<string, Resources>();
  const offered = new Map<string, Resources>();
  const reserved = new Map<string, Resources>();
  const frameworks = new Map<string, string[]>();
  const weights = new Map(allocator.roles.map((r) => [r.role, r.weight]));
  for (const fw of cluster.frameworks.values()) {
    for (const role of fw.roles) {
      const ids = frameworks.get(role);
      if (ids === undefined) frameworks.set(role, [fw.id]);
      else ids.push(fw.id);
    }
    for (const task of fw.tasks.values()) if (!task.released) addTo(allocated, task.role, task.resources);
  }
  for (const offer of cluster.offers.values()) addTo(offered, offer.role, offer.resources);
  for (const agent of cluster.agents.values()) {
    for (const [role, resources] of agent.total.reservedByRole()) addTo(reserved, role, resources);
  }
  const names = new Set([...weights.keys(), ...frameworks.keys(), ...allocated.keys(), ...offered.keys(), ...reserved.keys()]);
  return {
    roles: [...names].sort().map((name) => ({
      name,
      weight: weights.get(name) ?? 1,
      resources: toV0(held(allocated, name).add(held(offered, name))),
      allocated: toV0(held(allocated, name)),
      offered: toV0(held(offered, name)),
      reserved: toV0(held(reserved, name)),
      frameworks: frameworks.get(name) ?? [],
    })),
  };
}
