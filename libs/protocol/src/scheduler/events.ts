/**
 * v1 scheduler Events (scheduler.proto `Event`): what the master writes on a SUBSCRIBE stream,
 * one RecordIO record each, JSON escaped to ASCII (`encodeEvent`).
 */
import { toAsciiJson } from '../json';
import { encodeRecord } from '../recordio';
import type { AgentID, ExecutorID, FrameworkID, MasterInfo, OfferID } from './mesos-types';
import type { InverseOffer, Offer, OperationStatus } from './offer-types';
import type { TaskStatus } from './task-types';

export const EVENT_TYPES = [
  'SUBSCRIBED',
  'OFFERS',
  'INVERSE_OFFERS',
  'RESCIND',
  'RESCIND_INVERSE_OFFER',
  'UPDATE',
  'UPDATE_OPERATION_STATUS',
  'MESSAGE',
  'FAILURE',
  'ERROR',
  'HEARTBEAT',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export type SubscribedEvent = {
  type: 'SUBSCRIBED';
  subscribed: { framework_id: FrameworkID; heartbeat_interval_seconds?: number; master_info?: MasterInfo };
};
/** Note the double nesting: the `offers` field is a message holding `offers[]`. */
export type OffersEvent = { type: 'OFFERS'; offers: { offers: Offer[] } };
export type InverseOffersEvent = { type: 'INVERSE_OFFERS'; inverse_offers: { inverse_offers: InverseOffer[] } };
export type RescindEvent = { type: 'RESCIND'; rescind: { offer_id: OfferID } };
export type RescindInverseOfferEvent = {
  type: 'RESCIND_INVERSE_OFFER';
  rescind_inverse_offer: { inverse_offer_id: OfferID };
};
export type UpdateEvent = { type: 'UPDATE'; update: { status: TaskStatus } };
export type UpdateOperationStatusEvent = {
  type: 'UPDATE_OPERATION_STATUS';
  update_operation_status: { status: OperationStatus };
};
/** `data` is base64. */
export type MessageEvent = {
  type: 'MESSAGE';
  message: { agent_id: AgentID; executor_id: ExecutorID; data: string };
};
/** Agent removed (`agent_id` only) or executor terminated (all three, `status` = exit status). */
export type FailureEvent = {
  type: 'FAILURE';
  failure: { agent_id?: AgentID; executor_id?: ExecutorID; status?: number };
};
export type ErrorEvent = { type: 'ERROR'; error: { message: string } };
export type HeartbeatEvent = { type: 'HEARTBEAT' };

export type Event =
  | SubscribedEvent
  | OffersEvent
  | InverseOffersEvent
  | RescindEvent
  | RescindInverseOfferEvent
  | UpdateEvent
  | UpdateOperationStatusEvent
  | MessageEvent
  | FailureEvent
  | ErrorEvent
  | HeartbeatEvent;

export type EventOf<T extends EventType> = Extract<Event, { type: T }>;

/** The event as one RecordIO record of ASCII-escaped JSON: write it to the stream as one chunk. */
export function encodeEvent(event: Event): Uint8Array {
  return encodeRecord(toAsciiJson(event));
}
