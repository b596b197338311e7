/**
 * Shared Mesos v1 message shapes (mesos.proto), JSON field names as on the wire. Optional fields
 * may arrive as `null`; the decoders drop them, so decoded values hold only what was sent.
 * Repeated fields are optional too, as in protobuf JSON: absent means empty.
 */
import type { V1Label, V1Labels, V1Resource } from '@agora/resources';

export type { V1Label as Label, V1Labels as Labels, V1Resource as Resource };

/** Every id in v1 JSON is an object with one `value`. */
export interface Id {
  value: string;
}
export type FrameworkID = Id;
export type AgentID = Id;
export type OfferID = Id;
export type TaskID = Id;
export type ExecutorID = Id;
export type OperationID = Id;
export type ResourceProviderID = Id;
export type ContainerID = Id & { parent?: ContainerID };

/** Durations and times are int64 nanoseconds (protobuf may write them as strings). */
export interface DurationInfo {
  nanoseconds: number;
}
export interface TimeInfo {
  nanoseconds: number;
}

/** How an operator drains an agent (mesos.proto `DrainConfig`). */
export interface DrainConfig {
  /** Upper bound of every task's kill grace period; absent: each task's own kill policy. */
  max_grace_period?: DurationInfo;
  /** The agent is marked gone once drained. */
  mark_gone?: boolean;
}

/** An agent's drain (mesos.proto `DrainInfo`): DRAINING until it has no tasks left, then DRAINED. */
export interface DrainInfo {
  state: 'DRAINING' | 'DRAINED';
  config: DrainConfig;
}

export interface Attribute {
  name: string;
  type: 'SCALAR' | 'RANGES' | 'SET' | 'TEXT';
  scalar?: { value: number };
  ranges?: { range: { begin: number; end: number }[] };
  set?: { item: string[] };
  text?: { value: string };
}

export interface DomainInfo {
  fault_domain?: { region: { name: string }; zone: { name: string } };
}

export interface Address {
  hostname?: string;
  ip?: string;
  port: number;
}

export interface URL {
  scheme: string;
  address: Address;
  path?: string;
  query?: { key: string; value?: string }[];
  fragment?: string;
}

export const FRAMEWORK_CAPABILITIES = [
  'REVOCABLE_RESOURCES',
  'TASK_KILLING_STATE',
  'GPU_RESOURCES',
  'SHARED_RESOURCES',
  'PARTITION_AWARE',
  'MULTI_ROLE',
  'RESERVATION_REFINEMENT',
  'REGION_AWARE',
] as const;
export type FrameworkCapabilityType = (typeof FRAMEWORK_CAPABILITIES)[number];

/** Resource quantities by name: `{"cpus": {"value": 1}, "mem": {"value": 512}}`. */
export type ScalarQuantities = Record<string, { value: number }>;

export interface OfferFilters {
  min_allocatable_resources?: { quantities?: { quantities?: ScalarQuantities }[] };
}

export interface FrameworkInfo {
  user: string;
  name: string;
  id?: FrameworkID;
  /** Seconds a disconnected framework keeps its tasks; default 0 (torn down at once). */
  failover_timeout?: number;
  checkpoint?: boolean;
  /** Deprecated single role, default `*`; `roles` needs MULTI_ROLE. */
  role?: string;
  roles?: string[];
  hostname?: string;
  principal?: string;
  webui_url?: string;
  capabilities?: { type: FrameworkCapabilityType }[];
  labels?: V1Labels;
  /** Per role. */
  offer_filters?: Record<string, OfferFilters>;
}

/** What a SUBSCRIBED event says about the master. */
export interface MasterInfo {
  id: string;
  ip: number;
  port: number;
  pid?: string;
  hostname?: string;
  version?: string;
  address?: Address;
  domain?: DomainInfo;
  capabilities?: { type: string }[];
}

export interface AgentInfo {
  hostname: string;
  port?: number;
  resources?: V1Resource[];
  attributes?: Attribute[];
  id?: AgentID;
  domain?: DomainInfo;
}

/** `refuse_seconds` defaults to 5; more than a year is capped, negative means the default. */
export interface Filters {
  refuse_seconds?: number;
}

// ---- OfferConstraints (scheduler.proto) --------------------------------------------------------

export type PseudoattributeType = 'HOSTNAME' | 'REGION' | 'ZONE';

export type AttributeSelector = { attribute_name: string } | { pseudoattribute_type: PseudoattributeType };

export type AttributePredicate =
  | { exists: Record<string, never> }
  | { not_exists: Record<string, never> }
  | { text_equals: { value: string } }
  | { text_not_equals: { value: string } }
  | { text_matches: { regex: string } }
  | { text_not_matches: { regex: string } };

export interface AttributeConstraint {
  selector: AttributeSelector;
  predicate: AttributePredicate;
}

/** Per role: groups OR'ed, constraints inside a group AND'ed. */
export interface OfferConstraints {
  role_constraints?: Record<string, { groups?: { attribute_constraints?: AttributeConstraint[] }[] }>;
}
