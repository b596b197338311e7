import type { Resources } from '@agora/resources';

/** The longest a refuse filter may last: 365 days, as Mesos caps `refuse_seconds`. */
export const MAX_REFUSE_MS = 365 * 24 * 3600 * 1000;

/**
 * "Do not offer me these resources of this agent again for a while." A filter matches a candidate
 * offer only while it holds everything the offer holds: a larger offer (say, after a task
 * finished) gets through, as in Mesos.
 */
export interface RefuseFilter {
  readonly resources: Resources;
  readonly expiresAt: number;
  /** The agent's generation when installed; a changed agent drops its filters. */
  readonly agentGeneration: number;
}

/** Filters of one framework × role, keyed by agent index. */
export class FilterSet {
  private readonly byAgent = new Map<number, RefuseFilter[]>();

  get size(): number {
    return this.byAgent.size;
  }

  add(agentIndex: number, filter: RefuseFilter): void {
    const list = this.byAgent.get(agentIndex);
    if (list) list.push(filter);
    else this.byAgent.set(agentIndex, [filter]);
  }

  /** Whether a live filter covers `offer`. Expired and stale filters are dropped on the way. */
  filters(agentIndex: number, generation: number, offer: Resources, now: number): boolean {
    const list = this.byAgent.get(agentIndex);
    if (!list) return false;
    let hit = false;
    let live = 0;
    for (const f of list) {
      if (f.expiresAt <= now || f.agentGeneration !== generation) continue;
      list[live++] = f;
      if (!hit && f.resources.contains(offer)) hit = true;
    }
    list.length = live;
    if (live === 0) this.byAgent.delete(agentIndex);
    return hit;
  }

  clear(): void {
    this.byAgent.clear();
  }
}

/** Filter lifetime: the framework's refuse_seconds (default when absent or negative), at least one interval. */
export function refuseDurationMs(refuseMs: number | undefined, defaultMs: number, intervalMs: number): number {
  const asked = refuseMs === undefined || Number.isNaN(refuseMs) || refuseMs < 0 ? defaultMs : refuseMs;
  return Math.min(MAX_REFUSE_MS, Math.max(asked, intervalMs));
}
