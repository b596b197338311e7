/**
 * Roles: every role anyone knows of — the allocator's, frameworks' subscriptions, agents'
 * reservations, the roles resources are allocated or offered to, and roles with a weight or
 * quota set — with its weight, what its tasks hold, what is offered to it, what is reserved for
 * it, its frameworks, its quota and what it consumes of it. Registered frameworks only; one pass
 * over tasks, offers and agents. `roleBreakdown` is shared by `/roles` (v0) and GET_ROLES (v1).
 */
import { type Resources, ResourceQuantities, toV0, UNRESERVED_ROLE } from '@agora/resources';
import { consumedQuotas } from '../../roles/consumption';
import type { AllocatorReadings, ClusterView, RoleSettings } from './inputs';
import type { RolesJson } from './json';
import { addTo, held } from './usage';

export interface RoleBreakdown {
  readonly name: string;
  readonly weight: number;
  /** What its tasks hold. */
  readonly allocated: Resources;
  readonly offered: Resources;
  readonly reserved: Resources;
  /** Ids of registered frameworks subscribed to it. */
  readonly frameworks: readonly string[];
  /** Empty quantities when no quota is set. */
  readonly guarantees: ResourceQuantities;
  readonly limits: ResourceQuantities;
  /** What it consumes of its quota (roles/consumption.ts). */
  readonly consumed: ResourceQuantities;
}

/** No settings: every weight comes from the allocator, no quota. */
export const NO_ROLE_SETTINGS: RoleSettings = { weights: [], quotas: [] };

export function roleBreakdown(cluster: ClusterView, allocator: Pick<AllocatorReadings, 'roles'>, settings: RoleSettings = NO_ROLE_SETTINGS): RoleBreakdown[] {
  const allocated = new Map<string, Resources>();
  const offered = new Map<string, Resources>();
  const reserved = new Map<string, Resources>();
  const frameworks = new Map<string, string[]>();
  const weights = new Map(allocator.roles.map((r) => [r.role, r.weight]));
  for (const { role, weight } of settings.weights) weights.set(role, weight);
  const quotas = new Map(settings.quotas.map((q) => [q.role, q]));
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
  const names = [...new Set([...weights.keys(), ...quotas.keys(), ...frameworks.keys(), ...allocated.keys(), ...offered.keys(), ...reserved.keys()])].sort();
  // `*` is never a quota role, so nothing is consumed there.
  const consumed = consumedQuotas(cluster, names.filter((n) => n !== UNRESERVED_ROLE));
  return names.map((name) => ({
    name,
    weight: weights.get(name) ?? 1,
    allocated: held(allocated, name),
    offered: held(offered, name),
    reserved: held(reserved, name),
    frameworks: frameworks.get(name) ?? [],
    guarantees: quotas.get(name)?.guarantees ?? ResourceQuantities.EMPTY,
    limits: quotas.get(name)?.limits ?? ResourceQuantities.EMPTY,
    consumed: consumed.get(name) ?? ResourceQuantities.EMPTY,
  }));
}

/** `/roles`: Mesos's v0 shape, with `quota {role, guarantee, limit, consumed}` as Mesos 1.9+ writes it. */
export function renderRoles(cluster: ClusterView, allocator: Pick<AllocatorReadings, 'roles'>, settings: RoleSettings = NO_ROLE_SETTINGS): RolesJson {
  return {
    roles: roleBreakdown(cluster, allocator, settings).map((role) => ({
      name: role.name,
      weight: role.weight,
      quota: { role: role.name, guarantee: role.guarantees.toRecord(), limit: role.limits.toRecord(), consumed: role.consumed.toRecord() },
      resources: toV0(role.allocated.add(role.offered)),
      allocated: toV0(role.allocated),
      offered: toV0(role.offered),
      reserved: toV0(role.reserved),
      frameworks: [...role.frameworks],
    })),
  };
}
