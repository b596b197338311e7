import { ResourceQuantities, type Resources } from '@agora/resources';

/** Mesos's default `--min_allocatable_resources`: `cpus:0.01|mem:32`. */
export const DEFAULT_MIN_ALLOCATABLE: readonly ResourceQuantities[] = [
  ResourceQuantities.parse('cpus:0.01'),
  ResourceQuantities.parse('mem:32'),
];

/**
 * Parses the flag form: quantity sets separated by `|` (OR), each `name:value;name:value` (AND).
 * Ranges and sets are counted by items, so `ports:1` means "at least one port".
 */
export function parseMinAllocatable(text: string): ResourceQuantities[] {
  return text
    .split('|')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => ResourceQuantities.parse(part));
}

/**
 * Whether `offer` is worth sending: it meets at least one of the quantity sets. No sets means
 * any non-empty offer qualifies.
 */
export function isAllocatable(offer: Resources, minimum: readonly ResourceQuantities[]): boolean {
  if (offer.isEmpty()) return false;
  if (minimum.length === 0) return true;
  for (const set of minimum) {
    let ok = true;
    for (const [name, milli] of entriesOf(set)) {
      const have = offer.scalar(name) + offer.count(name) * 1000;
      if (have < milli) {
        ok = false;
        break;
      }
    }
    if (ok) return true;
  }
  return false;
}

/** Quantity sets are immutable; their entries are read on every check, so keep them as arrays. */
const entryCache = new WeakMap<ResourceQuantities, readonly (readonly [string, number])[]>();

function entriesOf(set: ResourceQuantities): readonly (readonly [string, number])[] {
  let entries = entryCache.get(set);
  if (!entries) {
    entries = [...set.entries()];
    entryCache.set(set, entries);
  }
  return entries;
}
