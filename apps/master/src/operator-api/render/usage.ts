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

/**
 * `memo` (kept by the caller between answers) makes the index cheap when little changed: the
 * resources are collected per agent and framework as lists of references, and a list equal to
 * the last one (the same Resources objects in the same order) gets the last sum back, the same
 * object, instead of being added up again. At 100,000 tasks the additions were most of `/state`.
 */
export function indexUsage(cluster: ClusterView, memo?: UsageMemo): Usage {
  const usedByAgent = new Lists();
  const usedByFramework = new Lists();
  const offeredByAgent = new Lists();
  const offeredByFramework = new Lists();
  for (const fw of cluster.frameworks.values()) {
    for (const task of fw.tasks.values()) {
      if (task.released) continue;
      usedByAgent.push(task.agentId, task.resources);
      usedByFramework.push(fw.id, task.resources);
    }
  }
  for (const executor of cluster.executors.values()) {
    usedByAgent.push(executor.agentId, executor.resources);
    usedByFramework.push(executor.frameworkId, executor.resources);
  }
  for (const offer of cluster.offers.values()) {
    offeredByAgent.push(offer.agentId, offer.resources);
    offeredByFramework.push(offer.frameworkId, offer.resources);
  }
  const m = memo ?? new UsageMemo();
  return {
    usedByAgent: m.usedByAgent.sums(usedByAgent),
    usedByFramework: m.usedByFramework.sums(usedByFramework),
    offeredByAgent: m.offeredByAgent.sums(offeredByAgent),
    offeredByFramework: m.offeredByFramework.sums(offeredByFramework),
  };
}

/** The last sums of indexUsage, by what they were sums of. */
export class UsageMemo {
  readonly usedByAgent = new SumMemo();
  readonly usedByFramework = new SumMemo();
  readonly offeredByAgent = new SumMemo();
  readonly offeredByFramework = new SumMemo();
}

/** Resources to be added up, by key. */
class Lists {
  readonly byKey = new Map<string, Resources[]>();

  push(key: string, resources: Resources): void {
    const list = this.byKey.get(key);
    if (list === undefined) this.byKey.set(key, [resources]);
    else list.push(resources);
  }
}

class SumMemo {
  private last = new Map<string, { readonly parts: readonly Resources[]; readonly sum: Resources }>();

  /** The sum of each key's list; keys absent now are forgotten. */
  sums(lists: Lists): Map<string, Resources> {
    const out = new Map<string, Resources>();
    const next = new Map<string, { readonly parts: readonly Resources[]; readonly sum: Resources }>();
    for (const [key, parts] of lists.byKey) {
      const known = this.last.get(key);
      const sum = known !== undefined && sameParts(known.parts, parts) ? known.sum : Resources.sum(parts);
      out.set(key, sum);
      next.set(key, { parts, sum });
    }
    this.last = next;
    return out;
  }
}

function sameParts(a: readonly Resources[], b: readonly Resources[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function addTo(map: Map<string, Resources>, key: string, resources: Resources): void {
  const held = map.get(key);
  map.set(key, held === undefined ? resources : held.add(resources));
}

export const held = (map: ReadonlyMap<string, Resources>, key: string): Resources => map.get(key) ?? Resources.EMPTY;
