/**
 * Reading the master's events, liberally: a client must keep working against a newer master,
 * so unknown event types and unknown fields are ignored rather than fatal. What `agora run`
 * relies on is checked (ids, the task state, the uuid to acknowledge); everything else is kept
 * exactly as received, so that offered resources and acknowledgement fields go back to the
 * master byte for byte.
 */
import {
  type Event,
  EVENT_TYPES,
  type EventType,
  type Offer,
  ProtocolError,
  TASK_STATES,
  TASK_STATUS_REASONS,
  TASK_STATUS_SOURCES,
  type TaskState,
  type TaskStatus,
  type TaskStatusReason,
  type TaskStatusSource,
} from '@agora/protocol';

type Json = Record<string, unknown>;

/** The event in `text` (one RecordIO record), or undefined for an event type this client does not know. */
export function decodeEvent(text: string): Event | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw new ProtocolError('event', 'is not JSON', { cause });
  }
  const event = object(parsed, 'event');
  const type = event.type;
  if (!isEventType(type)) {
    if (typeof type === 'string') return undefined;
    throw new ProtocolError('event.type', 'expected an event type');
  }
  switch (type) {
    case 'SUBSCRIBED': {
      const body = object(event.subscribed, 'event.subscribed');
      const interval = body.heartbeat_interval_seconds;
      return {
        type,
        subscribed: {
          framework_id: id(body.framework_id, 'event.subscribed.framework_id'),
          ...(typeof interval === 'number' && interval > 0 ? { heartbeat_interval_seconds: interval } : {}),
        },
      };
    }
    case 'OFFERS': {
      const body = object(event.offers, 'event.offers');
      const offers = array(body.offers ?? [], 'event.offers.offers');
      return { type, offers: { offers: offers.map((o, i) => offer(o, `event.offers.offers[${i}]`)) } };
    }
    case 'RESCIND': {
      const body = object(event.rescind, 'event.rescind');
      return { type, rescind: { offer_id: id(body.offer_id, 'event.rescind.offer_id') } };
    }
    case 'UPDATE': {
      const body = object(event.update, 'event.update');
      return { type, update: { status: taskStatus(body.status, 'event.update.status') } };
    }
    case 'ERROR': {
      const body = event.error === undefined || event.error === null ? {} : object(event.error, 'event.error');
      return { type, error: { message: typeof body.message === 'string' ? body.message : '(no message)' } };
    }
    case 'FAILURE': {
      const body = event.failure === undefined || event.failure === null ? {} : object(event.failure, 'event.failure');
      return { type, failure: body as Extract<Event, { type: 'FAILURE' }>['failure'] };
    }
    case 'HEARTBEAT':
      return { type };
    default:
      // Known to the protocol but of no use to this client (inverse offers, messages, operations).
      return undefined;
  }
}

function offer(value: unknown, path: string): Offer {
  const o = object(value, path);
  id(o.id, `${path}.id`);
  id(o.agent_id, `${path}.agent_id`);
  for (const [i, r] of array(o.resources ?? [], `${path}.resources`).entries()) {
    const resource = object(r, `${path}.resources[${i}]`);
    if (typeof resource.name !== 'string') throw new ProtocolError(`${path}.resources[${i}].name`, 'expected a string');
  }
  return o as unknown as Offer;
}

function taskStatus(value: unknown, path: string): TaskStatus {
  const o = object(value, path);
  const state = o.state;
  if (!isTaskState(state)) throw new ProtocolError(`${path}.state`, `expected a task state, got ${JSON.stringify(state)}`);
  if (o.uuid !== undefined && o.uuid !== null && typeof o.uuid !== 'string') {
    throw new ProtocolError(`${path}.uuid`, 'expected base64 text');
  }
  const status: TaskStatus = { task_id: id(o.task_id, `${path}.task_id`), state };
  // The acknowledgement must echo agent_id, task_id and uuid as received: keep the originals.
  if (o.agent_id !== undefined && o.agent_id !== null) status.agent_id = id(o.agent_id, `${path}.agent_id`);
  if (typeof o.uuid === 'string') status.uuid = o.uuid;
  if (typeof o.message === 'string') status.message = o.message;
  // A reason this client does not know is dropped rather than fatal; the message still says why.
  if (isReason(o.reason)) status.reason = o.reason;
  if (isSource(o.source)) status.source = o.source;
  if (o.executor_id !== undefined && o.executor_id !== null) status.executor_id = id(o.executor_id, `${path}.executor_id`);
  return status;
}

function id(value: unknown, path: string): { value: string } {
  const o = object(value, path);
  if (typeof o.value !== 'string') throw new ProtocolError(`${path}.value`, 'expected a string');
  return o as { value: string };
}

function object(value: unknown, path: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ProtocolError(path, 'expected an object');
  return value as Json;
}

function array(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) throw new ProtocolError(path, 'expected an array');
  return value;
}

function isEventType(value: unknown): value is EventType {
  return typeof value === 'string' && (EVENT_TYPES as readonly string[]).includes(value);
}

function isTaskState(value: unknown): value is TaskState {
  return typeof value === 'string' && (TASK_STATES as readonly string[]).includes(value);
}

function isReason(value: unknown): value is TaskStatusReason {
  return typeof value === 'string' && (TASK_STATUS_REASONS as readonly string[]).includes(value);
}

function isSource(value: unknown): value is TaskStatusSource {
  return typeof value === 'string' && (TASK_STATUS_SOURCES as readonly string[]).includes(value);
}
