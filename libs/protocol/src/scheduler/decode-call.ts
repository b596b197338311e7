/**
 * `decodeCall`: the edge where a framework's JSON becomes a typed Call. It checks the shape the
 * way Mesos's call validation does — a known `type`, `framework_id` on every call but SUBSCRIBE,
 * the sub-message the type requires, required fields present, every field of its type — and
 * leaves semantics (does the offer exist, do the resources fit) to the master.
 *
 * Liberal in what it accepts: `null` is absent, unknown fields are ignored, numbers may be
 * strings, `type` may be its protobuf number. Every rejection is a ProtocolError whose message
 * starts with the field path (`call.kill.task_id: is required`), ready for a 400 body.
 */
import { base64ToBytes } from '../json';
import {
  arrayOf,
  base64,
  compact,
  type Decoder,
  fail,
  isPresent,
  type JsonObject,
  object,
  optional,
  required,
  protoEnum,
} from '../fields';
import { CALL_TYPE_NUMBERS, type Call, type CallType } from './calls';
import { filters, frameworkInfo, id, ids, offerConstraints, resources, strings } from './decode-common';
import { operation } from './decode-operation';
import { killPolicy } from './decode-task';

const ROOT = 'call';

/** A 16-byte UUID in base64 (what `uuid` of ACKNOWLEDGE carries). */
const uuid: Decoder<string> = (v, path) => {
  const text = base64(v, path);
  return base64ToBytes(text, path).length === 16 ? text : fail(path, 'expected a UUID (base64 of 16 bytes)');
};

interface Body {
  /** The envelope field holding the sub-message. */
  readonly field: string;
  /** Whether the call is invalid without it (Mesos: "Expecting 'accept' to be present"). */
  readonly required: boolean;
  readonly decode: Decoder<object>;
}

function body(field: string, decode: (o: JsonObject, path: string) => object, isRequired = true): Body {
  return { field, required: isRequired, decode: (v, path) => compact(decode(object(v, path), path)) };
}

const subscribeLike = (o: JsonObject, p: string) => ({
  framework_info: required(o, 'framework_info', p, frameworkInfo),
  suppressed_roles: optional(o, 'suppressed_roles', p, strings),
  offer_constraints: optional(o, 'offer_constraints', p, offerConstraints),
});

const inverseOffers = (o: JsonObject, p: string) => ({
  inverse_offer_ids: optional(o, 'inverse_offer_ids', p, ids),
  filters: optional(o, 'filters', p, filters),
});

const roles = (o: JsonObject, p: string) => ({ roles: optional(o, 'roles', p, strings) });

const BODIES: Readonly<Record<CallType, Body | undefined>> = {
  SUBSCRIBE: body('subscribe', subscribeLike),
  TEARDOWN: undefined,
  ACCEPT: body('accept', (o, p) => ({
    offer_ids: optional(o, 'offer_ids', p, ids),
    operations: optional(o, 'operations', p, arrayOf(operation)),
    filters: optional(o, 'filters', p, filters),
  })),
  DECLINE: body('decline', (o, p) => ({ offer_ids: optional(o, 'offer_ids', p, ids), filters: optional(o, 'filters', p, filters) })),
  ACCEPT_INVERSE_OFFERS: body('accept_inverse_offers', inverseOffers),
  DECLINE_INVERSE_OFFERS: body('decline_inverse_offers', inverseOffers),
  REVIVE: body('revive', roles, false),
  SUPPRESS: body('suppress', roles, false),
  KILL: body('kill', (o, p) => ({
    task_id: required(o, 'task_id', p, id),
    agent_id: optional(o, 'agent_id', p, id),
    kill_policy: optional(o, 'kill_policy', p, killPolicy),
  })),
  SHUTDOWN: body('shutdown', (o, p) => ({ executor_id: required(o, 'executor_id', p, id), agent_id: required(o, 'agent_id', p, id) })),
  ACKNOWLEDGE: body('acknowledge', (o, p) => ({
    agent_id: required(o, 'agent_id', p, id),
    task_id: required(o, 'task_id', p, id),
    uuid: required(o, 'uuid', p, uuid),
  })),
  ACKNOWLEDGE_OPERATION_STATUS: body('acknowledge_operation_status', (o, p) => ({
    agent_id: optional(o, 'agent_id', p, id),
    resource_provider_id: optional(o, 'resource_provider_id', p, id),
    uuid: required(o, 'uuid', p, uuid),
    operation_id: required(o, 'operation_id', p, id),
  })),
  RECONCILE: body('reconcile', (o, p) => ({
    tasks: optional(o, 'tasks', p, arrayOf((t, tp) => {
      const task = object(t, tp);
      return compact({ task_id: required(task, 'task_id', tp, id), agent_id: optional(task, 'agent_id', tp, id) });
    })),
  })),
  RECONCILE_OPERATIONS: body('reconcile_operations', (o, p) => ({
    operations: optional(o, 'operations', p, arrayOf((x, xp) => {
      const op = object(x, xp);
      return compact({
        operation_id: required(op, 'operation_id', xp, id),
        agent_id: optional(op, 'agent_id', xp, id),
        resource_provider_id: optional(op, 'resource_provider_id', xp, id),
      });
    })),
  })),
  MESSAGE: body('message', (o, p) => ({
    agent_id: required(o, 'agent_id', p, id),
    executor_id: required(o, 'executor_id', p, id),
    data: required(o, 'data', p, base64),
  })),
  REQUEST: body('request', (o, p) => ({
    requests: optional(o, 'requests', p, arrayOf((r, rp) => {
      const req = object(r, rp);
      return compact({ agent_id: optional(req, 'agent_id', rp, id), resources: optional(req, 'resources', rp, resources) });
    })),
  })),
  UPDATE_FRAMEWORK: body('update_framework', subscribeLike),
};

const callType: Decoder<CallType> = protoEnum(CALL_TYPE_NUMBERS, 'call type');

/** The typed Call in `json` (already parsed); throws ProtocolError naming the bad field. */
export function decodeCall(json: unknown): Call {
  const o = object(json, ROOT);
  const type = required(o, 'type', ROOT, callType);
  const call: Record<string, unknown> = { type };

  const frameworkId = optional(o, 'framework_id', ROOT, id);
  if (frameworkId === undefined && type !== 'SUBSCRIBE') fail(`${ROOT}.framework_id`, `is required for ${type}`);
  if (frameworkId !== undefined) call.framework_id = frameworkId;

  const spec = BODIES[type];
  if (spec !== undefined) {
    if (isPresent(o[spec.field])) call[spec.field] = spec.decode(o[spec.field], `${ROOT}.${spec.field}`);
    else if (spec.required) fail(`${ROOT}.${spec.field}`, `is required for ${type}`);
  }

  if (type === 'SUBSCRIBE') checkSubscribeIds(call as Extract<Call, { type: 'SUBSCRIBE' }>);
  return call as unknown as Call;
}

/** Mesos refuses a SUBSCRIBE whose envelope and FrameworkInfo name different frameworks. */
function checkSubscribeIds(call: Extract<Call, { type: 'SUBSCRIBE' }>): void {
  const inInfo = call.subscribe.framework_info.id;
  if (call.framework_id !== undefined && inInfo !== undefined && call.framework_id.value !== inInfo.value) {
    fail(`${ROOT}.framework_id`, `differs from ${ROOT}.subscribe.framework_info.id`);
  }
}

/** JSON text to a Call: malformed JSON is a ProtocolError too (`call: malformed JSON: ...`). */
export function parseCall(text: string): Call {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    fail(ROOT, `malformed JSON: ${(e as Error).message}`);
  }
  return decodeCall(json);
}
