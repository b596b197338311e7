/**
 * What the agent offers: the resources given in AGORA_AGENT_RESOURCES, completed with what the
 * machine has for every standard resource the operator left out, as Mesos's
 * `Containerizer::resources` does. An agent given only `cpus:2` still offers memory, disk and
 * ports; one given `mem(eng):1024` gets no unreserved memory added (any `mem` counts as given).
 * Pure: the machine's facts come in as arguments (machine-probe.ts measures them).
 */
import { Resources } from '@agora/resources';

/** Measured facts about the machine, in the units the resources use (MB for memory and disk). */
export interface MachineFacts {
  readonly cpus: number;
  readonly memTotalMb: number;
  /** Size of the filesystem that holds the work dir. */
  readonly diskTotalMb: number;
}

/** Mesos keeps 1 GB of memory for the system when the machine has at least 2 GB, else half. */
export function memoryToOffer(totalMb: number): number {
  return totalMb >= 2048 ? totalMb - 1024 : Math.floor(totalMb / 2);
}

/** Mesos keeps 5 GB of the work dir's disk when it has at least 10 GB, else half. */
export function diskToOffer(totalMb: number): number {
  return totalMb >= 10240 ? totalMb - 5120 : Math.floor(totalMb / 2);
}

/** Mesos's default port range for agents that name none. */
export const DEFAULT_PORTS: readonly [number, number] = [31000, 32000];

/** `given` plus detected cpus, mem, disk and ports for each of them `given` does not name. */
export function completeResources(given: Resources, machine: MachineFacts): Resources {
  const named = new Set(given.names());
  let out = given;
  if (!named.has('cpus')) out = out.add(Resources.scalar('cpus', machine.cpus));
  if (!named.has('mem')) out = out.add(Resources.scalar('mem', memoryToOffer(machine.memTotalMb)));
  if (!named.has('disk')) out = out.add(Resources.scalar('disk', diskToOffer(machine.diskTotalMb)));
  if (!named.has('ports')) out = out.add(Resources.ranges('ports', [DEFAULT_PORTS]));
  return out;
}
