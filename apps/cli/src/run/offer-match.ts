/**
 * Choosing an offer for `agora run` and turning it into the task to launch. Pure: offers in,
 * TaskInfo out, so every rule here is a table test.
 *
 * The task's resources are cut from the offer's own resource objects rather than written from
 * scratch: each piece keeps its reservation fields exactly as offered (pre- or post-refinement
 * format, whichever the master sent), and carries the offer's `allocation_info`, which a
 * MULTI_ROLE framework must echo back.
 */
import type { Offer, Resource, TaskInfo } from '@agora/protocol';
import type { EnvVar } from '../args';

/** Mesos keeps scalars to three decimal places; sums are done in thousandths to stay exact. */
const MILLI = 1000;

export interface TaskRequest {
  readonly taskId: string;
  readonly name: string;
  /** CommandInfo.value, run with /bin/sh -c; undefined runs the image's own command (with `image`). */
  readonly command?: string;
  /** A Docker image to run the command in, with HOST networking as Agora's agents allow. */
  readonly image?: string;
  readonly env: readonly EnvVar[];
  readonly cpus: number;
  /** MB. */
  readonly mem: number;
}

/** The role an offer's resources are allocated to (every resource of one offer has the same). */
export function allocationRole(offer: Offer): string | undefined {
  return offer.allocation_info?.role ?? offer.resources?.find((r) => r.allocation_info?.role)?.allocation_info?.role;
}

/**
 * Pieces of a resource the task may use: plain scalars. Revocable resources can disappear under
 * the task, and shared or disk-backed ones are not what a command asks for.
 */
function usable(resource: Resource, name: string): boolean {
  return (
    resource.name === name &&
    resource.type === 'SCALAR' &&
    typeof resource.scalar?.value === 'number' &&
    resource.revocable === undefined &&
    resource.shared === undefined &&
    resource.disk === undefined
  );
}

/** Total offered of a scalar, in the same units as the offer (cpus, MB). */
export function offeredScalar(offer: Offer, name: string): number {
  const milli = (offer.resources ?? [])
    .filter((r) => usable(r, name))
    .reduce((sum, r) => sum + toMilli(r.scalar?.value ?? 0), 0);
  return milli / MILLI;
}

export function fits(offer: Offer, request: Pick<TaskRequest, 'cpus' | 'mem'>): boolean {
  return offeredScalar(offer, 'cpus') >= request.cpus && offeredScalar(offer, 'mem') >= request.mem;
}

/** `amount` of scalar `name` cut from the offer's pieces in order; undefined when it has less. */
function take(offer: Offer, name: string, amount: number): Resource[] | undefined {
  const role = allocationRole(offer);
  const out: Resource[] = [];
  let needed = toMilli(amount);
  for (const piece of offer.resources ?? []) {
    if (needed <= 0) break;
    if (!usable(piece, name)) continue;
    const taken = Math.min(needed, toMilli(piece.scalar?.value ?? 0));
    if (taken <= 0) continue;
    needed -= taken;
    out.push({
      ...piece,
      scalar: { value: taken / MILLI },
      ...(role === undefined ? {} : { allocation_info: { role } }),
    });
  }
  return needed > 0 ? undefined : out;
}

/** The command task to launch on `offer`, or undefined when the offer is too small. */
export function taskInfoFor(offer: Offer, request: TaskRequest): TaskInfo | undefined {
  const cpus = take(offer, 'cpus', request.cpus);
  const mem = take(offer, 'mem', request.mem);
  if (cpus === undefined || mem === undefined) return undefined;
  return {
    name: request.name,
    task_id: { value: request.taskId },
    agent_id: offer.agent_id,
    resources: [...cpus, ...mem],
    command: {
      // No command with an image: shell false and no value keep the image's entrypoint and CMD.
      ...(request.command !== undefined ? { value: request.command, shell: true } : { shell: false }),
      ...(request.env.length === 0
        ? {}
        : { environment: { variables: request.env.map(({ name, value }) => ({ name, value })) } }),
    },
    ...(request.image !== undefined ? { container: { type: 'DOCKER', docker: { image: request.image, network: 'HOST' } } } : {}),
  };
}

function toMilli(value: number): number {
  return Math.round(value * MILLI);
}
