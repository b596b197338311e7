/**
 * Who holds what, in one pass over tasks and offers (reference §8.2: `/state` over tens of
 * thousands of agents must not scan every task once per agent).
 */
import { Resources } from '@agora/resources';
import type { ClusterView } from './inputs';

export interface Usage {
  /**
   * Resources of tasks not yet released (neither terminal nor unreachable) and of running
   * custom or default executors, by agent id (Mesos counts executors in `used_resources`).
   */
  readonly usedByAgent: ReadonlyMap<string, Resources>;
  readonly usedByFramework: ReadonlyMap<string, Resources>;
  /** Resources of outstanding offers, by agent id. */
  readonly offeredByAgent: ReadonlyMap<string, Resources>;
  readonly offeredByFramework: ReadonlyMap<string, Resources>;
}

export function indexUsage(cluster: ClusterView): Usage {
  const usedByAgent = new Map<string, Resources>();
  const usedByFramework = new Map<string, Resources>();
  const offeredByAgent = new Map<string, Resources>();
  const offeredByFramework = new Map<string, Resources>();
  for (const fw of cluster.frameworks.values()) {
    for (const task of fw.tasks.values()) {
      if (task.released) continue;
      addTo(usedByAgent, task.agentId, task.resources);
      addTo(usedByFramework, fw.id, task.resources);
    }
  }
  for (const executor of cluster.executors.values()) {
    addTo(usedByAgent, executor.agentId, executor.resources);
    addTo(usedByFramework, executor.frameworkId, executor.resources);
  }
  for (const offer of cluster.offers.values()) {
    addTo(offeredByAgent, offer.agentId, offer.resources);
    addTo(offeredByFramework, offer.frameworkId, offer.resources);
  }
  return { usedByAgent, usedByFramework, offeredByAgent, offeredByFramework };
}

export function addTo(map: Map<string, Resources>, key: string, resources: Resources): void {
  const held = map.get(key);
  map.set(key, held === undefined ? resources : held.add(resources));
}

export const held = (map: ReadonlyMap<string, Resources>, key: string): Resources => map.get(key) ?? Resources.EMPTY;
