/**
 * The flattened "v0" resources object of `/state` and the web UI:
 *
 *     {"cpus": 2, "mem": 1024, "disk": 0, "gpus": 0, "ports": "[31000-32000]"}
 *
 * Scalars are summed per name over all identities (reserved or not) in natural units; ranges and
 * sets are merged per name and rendered as strings the way Mesos prints them
 * (`[31000-31999, 32001-32767]`, `{a, b}`); revocable resources are reported under
 * `<name>_revocable`. `cpus`, `mem`, `disk` and `gpus` are always present.
 */
import { addRanges, formatRanges } from './ranges';
import type { Resource, ValueRange } from './resource';
import { Resources } from './resources';
import { addItems, compareStrings } from './sets';
import { milliToNumber } from './units';

export type V0Resources = Record<string, number | string>;

const ALWAYS = ['cpus', 'mem', 'disk', 'gpus'] as const;

/** Accepts a `Resources` or any resources (normalized first). */
export function toV0(resources: Resources | Iterable<Resource>): V0Resources {
  const scalars = new Map<string, number>();
  const ranges = new Map<string, readonly ValueRange[]>();
  const sets = new Map<string, readonly string[]>();
  for (const r of Resources.of(resources)) {
    const name = r.revocable === true ? `${r.name}_revocable` : r.name;
    switch (r.kind) {
      case 'SCALAR':
        scalars.set(name, (scalars.get(name) ?? 0) + (r.milli ?? 0));
        break;
      case 'RANGES':
        ranges.set(name, addRanges(ranges.get(name) ?? [], r.ranges ?? []));
        break;
      case 'SET':
        sets.set(name, addItems(sets.get(name) ?? [], r.items ?? []));
        break;
    }
  }
  const out: V0Resources = {};
  for (const name of ALWAYS) out[name] = 0;
  for (const name of [...scalars.keys()].sort(compareStrings)) out[name] = milliToNumber(scalars.get(name) ?? 0);
  for (const name of [...ranges.keys()].sort(compareStrings)) out[name] = formatRanges(ranges.get(name) ?? [], ', ');
  for (const name of [...sets.keys()].sort(compareStrings)) out[name] = `{${(sets.get(name) ?? []).join(', ')}}`;
  return out;
}
