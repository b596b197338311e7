/**
 * v1 scheduler Calls (scheduler.proto `Call`): what a framework POSTs to /api/v1/scheduler.
 * The envelope is `{type, framework_id, <sub-message>}`; the sub-message field is named after
 * the type in snake_case. Decoded calls (decodeCall) have the type's sub-message whenever the
 * type requires one, and `framework_id` on every call but SUBSCRIBE.
 */
import type {
  AgentID,
  ExecutorID,
  Filters,
  FrameworkID,
  FrameworkInfo,
  OfferConstraints,
  OfferID,
  OperationID,
  Resource,
  ResourceProviderID,
  TaskID,
} from './mesos-types';
import type { Operation } from './offer-types';
import type { KillPolicy } from './task-types';

/** Call types and their protobuf numbers, which are accepted in place of the names. */
export const CALL_TYPE_NUMBERS = {
  SUBSCRIBE: 1,
  TEARDOWN: 2,
  ACCEPT: 3,
  DECLINE: 4,
  REVIVE: 5,
  KILL: 6,
  SHUTDOWN: 7,
  ACKNOWLEDGE: 8,
  RECONCILE: 9,
  MESSAGE: 10,
  REQUEST: 11,
  SUPPRESS: 12,
  ACCEPT_INVERSE_OFFERS: 13,
  DECLINE_INVERSE_OFFERS: 14,
  ACKNOWLEDGE_OPERATION_STATUS: 15,
  RECONCILE_OPERATIONS: 16,
  UPDATE_FRAMEWORK: 17,
} as const;

export type CallType = keyof typeof CALL_TYPE_NUMBERS;
export const CALL_TYPES = Object.keys(CALL_TYPE_NUMBERS) as CallType[];

export interface Subscribe {
  framework_info: FrameworkInfo;
  suppressed_roles?: string[];
  offer_constraints?: OfferConstraints;
}

export interface Accept {
  offer_ids?: OfferID[];
  operations?: Operation[];
  filters?: Filters;
}

export interface Decline {
  offer_ids?: OfferID[];
  filters?: Filters;
}

export interface AcceptInverseOffers {
  inverse_offer_ids?: OfferID[];
  filters?: Filters;
}

export type DeclineInverseOffers = AcceptInverseOffers;

/** `roles` empty or absent means every role of the framework. */
export interface Revive {
  roles?: string[];
}
export type Suppress = Revive;

export interface Kill {
  task_id: TaskID;
  agent_id?: AgentID;
  kill_policy?: KillPolicy;
}

export interface Shutdown {
  executor_id: ExecutorID;
  agent_id: AgentID;
}

export interface Acknowledge {
  agent_id: AgentID;
  task_id: TaskID;
  /** base64 of the 16-byte uuid of the acknowledged update. */
  uuid: string;
}

export interface AcknowledgeOperationStatus {
  agent_id?: AgentID;
  resource_provider_id?: ResourceProviderID;
  uuid: string;
  operation_id: OperationID;
}

/** `tasks` empty or absent: implicit reconciliation (every task the master knows). */
export interface Reconcile {
  tasks?: { task_id: TaskID; agent_id?: AgentID }[];
}

export interface ReconcileOperations {
  operations?: { operation_id: OperationID; agent_id?: AgentID; resource_provider_id?: ResourceProviderID }[];
}

export interface Message {
  agent_id: AgentID;
  executor_id: ExecutorID;
  /** base64. */
  data: string;
}

export interface Request {
  requests?: { agent_id?: AgentID; resources?: Resource[] }[];
}

export interface UpdateFramework {
  framework_info: FrameworkInfo;
  suppressed_roles?: string[];
  offer_constraints?: OfferConstraints;
}

interface Envelope<T extends CallType> {
  type: T;
  framework_id: FrameworkID;
}

export type SubscribeCall = { type: 'SUBSCRIBE'; framework_id?: FrameworkID; subscribe: Subscribe };
export type TeardownCall = Envelope<'TEARDOWN'>;
export type AcceptCall = Envelope<'ACCEPT'> & { accept: Accept };
export type DeclineCall = Envelope<'DECLINE'> & { decline: Decline };
export type AcceptInverseOffersCall = Envelope<'ACCEPT_INVERSE_OFFERS'> & { accept_inverse_offers: AcceptInverseOffers };
export type DeclineInverseOffersCall = Envelope<'DECLINE_INVERSE_OFFERS'> & { decline_inverse_offers: DeclineInverseOffers };
export type ReviveCall = Envelope<'REVIVE'> & { revive?: Revive };
export type SuppressCall = Envelope<'SUPPRESS'> & { suppress?: Suppress };
export type KillCall = Envelope<'KILL'> & { kill: Kill };
export type ShutdownCall = Envelope<'SHUTDOWN'> & { shutdown: Shutdown };
export type AcknowledgeCall = Envelope<'ACKNOWLEDGE'> & { acknowledge: Acknowledge };
export type AcknowledgeOperationStatusCall = Envelope<'ACKNOWLEDGE_OPERATION_STATUS'> & {
  acknowledge_operation_status: AcknowledgeOperationStatus;
};
export type ReconcileCall = Envelope<'RECONCILE'> & { reconcile: Reconcile };
export type ReconcileOperationsCall = Envelope<'RECONCILE_OPERATIONS'> & { reconcile_operations: ReconcileOperations };
export type MessageCall = Envelope<'MESSAGE'> & { message: Message };
export type RequestCall = Envelope<'REQUEST'> & { request: Request };
export type UpdateFrameworkCall = Envelope<'UPDATE_FRAMEWORK'> & { update_framework: UpdateFramework };

export type Call =
  | SubscribeCall
  | TeardownCall
  | AcceptCall
  | DeclineCall
  | AcceptInverseOffersCall
  | DeclineInverseOffersCall
  | ReviveCall
  | SuppressCall
  | KillCall
  | ShutdownCall
  | AcknowledgeCall
  | AcknowledgeOperationStatusCall
  | ReconcileCall
  | ReconcileOperationsCall
  | MessageCall
  | RequestCall
  | UpdateFrameworkCall;

/** The call of type `T`. */
export type CallOf<T extends CallType> = Extract<Call, { type: T }>;
