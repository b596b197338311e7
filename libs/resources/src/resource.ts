/**
 * The resource model shared by the allocator, the master and the agent.
 *
 * One `Resource` is one named quantity with its identity: the same name with a different
 * reservation stack, allocation role, revocable or shared flag, or disk info is a different
 * resource and never merges with it. Scalars are integers in thousandths ("milli-units"), the
 * fixed-point precision Mesos uses, so sums and differences never drift.
 */

export type ResourceKind = 'SCALAR' | 'RANGES' | 'SET';

/** An inclusive range of integers, as Mesos ports: [31000-32000] holds 1001 values. */
export interface ValueRange {
  readonly begin: number;
  readonly end: number;
}

export interface Label {
  readonly key: string;
  readonly value?: string;
}

/**
 * One level of a reservation stack. STATIC comes from the agent's --resources flag; DYNAMIC from
 * a RESERVE operation. Refinement pushes a child role on top: [eng, eng/web].
 */
export interface Reservation {
  readonly type: 'STATIC' | 'DYNAMIC';
  readonly role: string;
  readonly principal?: string;
  readonly labels?: readonly Label[];
}

/** Persistent-volume information carried by disk resources. */
export interface DiskInfo {
  readonly persistenceId?: string;
  readonly persistencePrincipal?: string;
  readonly containerPath?: string;
  readonly mode?: 'RW' | 'RO';
  readonly source?: { readonly type: 'PATH' | 'MOUNT'; readonly root?: string };
}

export interface Resource {
  readonly name: string;
  readonly kind: ResourceKind;
  /** SCALAR only: the value in thousandths (1.5 cpus is 1500). Always a non-negative integer. */
  readonly milli?: number;
  /** RANGES only: sorted, non-overlapping, non-adjacent (coalesced). */
  readonly ranges?: readonly ValueRange[];
  /** SET only: sorted, without duplicates. */
  readonly items?: readonly string[];
  /** Reservation stack, outermost first. Empty means unreserved (role "*"). */
  readonly reservations: readonly Reservation[];
  /** Set on resources that are offered or allocated: the role they were allocated to. */
  readonly allocationRole?: string;
  readonly revocable?: boolean;
  readonly shared?: boolean;
  readonly disk?: DiskInfo;
}

/** The role "*" means unreserved. */
export const UNRESERVED_ROLE = '*';
