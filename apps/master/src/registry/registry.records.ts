/**
 * The registry's vocabulary as the rest of the master sees it: plain, immutable records. TypeORM
 * entities stay inside this folder; RegistryService converts at its edge.
 */

/** A JSON value, as agent attributes are stored. */
export type Json = string | number | boolean | null | readonly Json[] | { readonly [key: string]: Json };

/**
 * Where an admitted agent stands (Mesos's registry): `admitted` while it is registered,
 * `unreachable` after missed pings (it may come back), `gone` once an operator marked it so
 * (it may never re-register with the same id).
 */
export type AgentState = 'admitted' | 'unreachable' | 'gone';

export const AGENT_STATES: readonly AgentState[] = ['admitted', 'unreachable', 'gone'];

/** What an agent tells the master when it registers. */
export interface AgentAdmission {
  readonly id: string;
  readonly hostname: string;
  readonly port: number;
  /** Mesos text form, e.g. `cpus:4;mem:8192;ports:[31000-32000]`. */
  readonly resources: string;
  readonly attributes: { readonly [name: string]: Json };
}

/** mesos.proto DrainInfo as stored: the drain's state and the operator's config. */
export interface RegistryDrainInfo {
  readonly state: 'DRAINING' | 'DRAINED';
  readonly config: { readonly max_grace_period?: { readonly nanoseconds: number }; readonly mark_gone?: boolean };
}

/** What an operator decided for an agent's maintenance; survives re-registration and failover. */
export interface AgentMaintenanceRecord {
  readonly deactivated: boolean;
  readonly drainInfo: RegistryDrainInfo | null;
}

export interface AgentRecord extends AgentAdmission, AgentMaintenanceRecord {
  readonly state: AgentState;
  readonly registeredTime: Date;
  /** The last re-registration, or null if it registered once. */
  readonly reregisteredTime: Date | null;
  /** When it was first marked unreachable since it was last admitted. */
  readonly unreachableTime: Date | null;
}

/** The durable part of a framework: what survives a master failover (Mesos's FrameworkInfo subset). */
export interface FrameworkRegistration {
  readonly id: string;
  readonly name: string;
  readonly principal: string | null;
  readonly roles: readonly string[];
  /** How long the master keeps the framework's tasks after its scheduler disconnects. */
  readonly failoverTimeoutSeconds: number;
}

export interface FrameworkRecord extends FrameworkRegistration {
  readonly registeredTime: Date;
  /** Set once the framework is torn down; its id may not subscribe again. */
  readonly removedTime: Date | null;
}

/** A role's weight as an operator set it; roles without one weigh 1. */
export interface RoleWeight {
  readonly role: string;
  readonly weight: number;
}

/**
 * A role's quota as an operator set it: scalar amounts in natural units by resource name
 * (`{cpus: 4, mem: 8192}`). A name missing from `limits` is unlimited.
 */
export interface RoleQuota {
  readonly role: string;
  readonly guarantees: Readonly<Record<string, number>>;
  readonly limits: Readonly<Record<string, number>>;
}
