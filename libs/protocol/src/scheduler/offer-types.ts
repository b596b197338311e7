/**
 * Offers and the operations a framework applies to them (mesos.proto `Offer`,
 * `Offer.Operation`, `InverseOffer`, `OperationStatus`). JSON field names as on the wire.
 */
import type {
  AgentID,
  Attribute,
  DomainInfo,
  ExecutorID,
  FrameworkID,
  OfferID,
  OperationID,
  Resource,
  ResourceProviderID,
  TimeInfo,
  DurationInfo,
  URL,
} from './mesos-types';
import type { ExecutorInfo, TaskGroupInfo, TaskInfo } from './task-types';

export interface Unavailability {
  start: TimeInfo;
  duration?: DurationInfo;
}

/** One agent's resources for one role. Agora always sends `url`, `hostname` and `agent_id`. */
export interface Offer {
  id: OfferID;
  framework_id: FrameworkID;
  agent_id: AgentID;
  hostname: string;
  url?: URL;
  domain?: DomainInfo;
  resources?: Resource[];
  attributes?: Attribute[];
  executor_ids?: ExecutorID[];
  unavailability?: Unavailability;
  allocation_info?: { role?: string };
}

export interface InverseOffer {
  id: OfferID;
  url?: URL;
  framework_id: FrameworkID;
  agent_id?: AgentID;
  unavailability: Unavailability;
  resources?: Resource[];
}

/** The operation types a framework may put in ACCEPT (the experimental CSI ones are refused). */
export const OPERATION_TYPES = ['LAUNCH', 'LAUNCH_GROUP', 'RESERVE', 'UNRESERVE', 'CREATE', 'DESTROY'] as const;
export type OperationType = (typeof OPERATION_TYPES)[number];

/** `id` asks for UPDATE_OPERATION_STATUS feedback; not allowed on LAUNCH and LAUNCH_GROUP. */
interface OperationBase {
  id?: OperationID;
}

export interface LaunchOperation extends OperationBase {
  type: 'LAUNCH';
  launch: { task_infos?: TaskInfo[] };
}

export interface LaunchGroupOperation extends OperationBase {
  type: 'LAUNCH_GROUP';
  launch_group: { executor: ExecutorInfo; task_group: TaskGroupInfo };
}

export interface ReserveOperation extends OperationBase {
  type: 'RESERVE';
  reserve: { resources?: Resource[]; source?: Resource[] };
}

export interface UnreserveOperation extends OperationBase {
  type: 'UNRESERVE';
  unreserve: { resources?: Resource[] };
}

export interface CreateOperation extends OperationBase {
  type: 'CREATE';
  create: { volumes?: Resource[] };
}

export interface DestroyOperation extends OperationBase {
  type: 'DESTROY';
  destroy: { volumes?: Resource[] };
}

export type Operation =
  | LaunchOperation
  | LaunchGroupOperation
  | ReserveOperation
  | UnreserveOperation
  | CreateOperation
  | DestroyOperation;

export const OPERATION_STATES = [
  'OPERATION_UNSUPPORTED',
  'OPERATION_PENDING',
  'OPERATION_FINISHED',
  'OPERATION_FAILED',
  'OPERATION_ERROR',
  'OPERATION_DROPPED',
  'OPERATION_UNREACHABLE',
  'OPERATION_GONE_BY_OPERATOR',
  'OPERATION_RECOVERING',
  'OPERATION_UNKNOWN',
] as const;
export type OperationState = (typeof OPERATION_STATES)[number];

export interface OperationStatus {
  operation_id?: OperationID;
  state: OperationState;
  message?: string;
  converted_resources?: Resource[];
  /** A UUID message here (`{value: base64}`), unlike TaskStatus's bare bytes. */
  uuid?: { value: string };
  agent_id?: AgentID;
  resource_provider_id?: ResourceProviderID;
}
