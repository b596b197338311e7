import type { Resource } from '@agora/protocol';
import { fromV1, type Resources } from '@agora/resources';

/**
 * fromV1 remembered by the resources' JSON text. A re-registering agent reports every task with
 * its resources, and after a failover the master reads tens of thousands of them, nearly all
 * alike (a framework launches the same shape many times); parsing and validating each one
 * was the largest cost of a re-registration. Resources are immutable, so one parsed value
 * can be shared. Bounded: the oldest entry goes first. Failures are not remembered, so a bad
 * value throws with its own path every time.
 */
export class ResourceMemo {
  private readonly memo = new Map<string, Resources>();

  constructor(private readonly capacity = 4096) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error('the memo needs a positive capacity');
  }

  /** fromV1(json, path), from memory when the same JSON was parsed before. */
  parse(json: readonly Resource[] | undefined, path: string): Resources {
    const key = JSON.stringify(json ?? []);
    const known = this.memo.get(key);
    if (known !== undefined) return known;
    const parsed = fromV1(json ?? [], path);
    if (this.memo.size >= this.capacity) {
      const oldest = this.memo.keys().next();
      if (oldest.done !== true) this.memo.delete(oldest.value);
    }
    this.memo.set(key, parsed);
    return parsed;
  }

  get size(): number {
    return this.memo.size;
  }
}
