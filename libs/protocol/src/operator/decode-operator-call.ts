/**
 * `decodeOperatorCall`: the edge where an operator's JSON becomes a typed OperatorCall. Shape
 * only, as `decodeCall` does for schedulers: a known `type`, the sub-message the type requires,
 * required fields present, every field of its type. Rules that need the cluster or are policy
 * (is the role name valid, is the weight positive, does the framework exist) are the master's.
 *
 * The same liberal reading as the scheduler API (`null` is absent, unknown fields are ignored,
 * numbers may be strings, `type` may be its protobuf number), but an unknown `type` or a field of
 * the wrong type is refused with a ProtocolError naming the field: `call.update_weights
 * .weight_infos[0].weight: expected a number`.
 */
import {
  arrayOf,
  boolean,
  compact,
  type Decoder,
  fail,
  isPresent,
  type JsonObject,
  mapOf,
  number,
  object,
  optional,
  required,
  string,
  protoEnum,
} from '../fields';
import { duration, id } from '../scheduler/decode-common';
import type { ScalarQuantities } from '../scheduler/mesos-types';
import {
  isSupportedOperatorCall,
  OPERATOR_CALL_TYPE_NUMBERS,
  type OperatorCall,
  type OperatorCallType,
  type QuotaConfig,
  type SupportedOperatorCallType,
  type WeightInfo,
} from './calls';

const ROOT = 'call';

interface Body {
  /** The envelope field holding the sub-message. */
  readonly field: string;
  /** Whether the call is invalid without it (Mesos: "Expecting 'teardown' to be present"). */
  readonly required: boolean;
  readonly decode: Decoder<object>;
}

function body(field: string, decode: (o: JsonObject, path: string) => object, isRequired = true): Body {
  return { field, required: isRequired, decode: (v, path) => compact(decode(object(v, path), path)) };
}

const weightInfo: Decoder<WeightInfo> = (v, path) => {
  const o = object(v, path);
  return { role: required(o, 'role', path, string), weight: required(o, 'weight', path, number) };
};

/** `{"cpus": {"value": 1}}`: every entry a Value.Scalar. */
const scalars: Decoder<ScalarQuantities> = mapOf((v, path) => ({ value: required(object(v, path), 'value', path, number) }));

const quotaConfig: Decoder<QuotaConfig> = (v, path) => {
  const o = object(v, path);
  return compact({
    role: required(o, 'role', path, string),
    guarantees: optional(o, 'guarantees', path, scalars),
    limits: optional(o, 'limits', path, scalars),
  });
};

const BODIES: Readonly<Partial<Record<SupportedOperatorCallType, Body>>> = {
  GET_METRICS: body('get_metrics', (o, p) => ({ timeout: optional(o, 'timeout', p, duration) }), false),
  UPDATE_WEIGHTS: body('update_weights', (o, p) => ({ weight_infos: optional(o, 'weight_infos', p, arrayOf(weightInfo)) ?? [] })),
  UPDATE_QUOTA: body('update_quota', (o, p) => ({
    force: optional(o, 'force', p, boolean),
    quota_configs: optional(o, 'quota_configs', p, arrayOf(quotaConfig)) ?? [],
  })),
  TEARDOWN: body('teardown', (o, p) => ({ framework_id: required(o, 'framework_id', p, id) })),
  MARK_AGENT_GONE: body('mark_agent_gone', (o, p) => ({ agent_id: required(o, 'agent_id', p, id) })),
  DRAIN_AGENT: body('drain_agent', (o, p) => {
    const maxGrace = optional(o, 'max_grace_period', p, duration);
    if (maxGrace !== undefined && maxGrace.nanoseconds < 0) fail(`${p}.max_grace_period.nanoseconds`, 'must not be negative');
    return { agent_id: required(o, 'agent_id', p, id), max_grace_period: maxGrace, mark_gone: optional(o, 'mark_gone', p, boolean) };
  }),
  DEACTIVATE_AGENT: body('deactivate_agent', (o, p) => ({ agent_id: required(o, 'agent_id', p, id) })),
  REACTIVATE_AGENT: body('reactivate_agent', (o, p) => ({ agent_id: required(o, 'agent_id', p, id) })),
};

const callType: Decoder<OperatorCallType> = protoEnum(OPERATOR_CALL_TYPE_NUMBERS, 'call type');

/** The typed OperatorCall in `json` (already parsed); throws ProtocolError naming the bad field. */
export function decodeOperatorCall(json: unknown): OperatorCall {
  const o = object(json, ROOT);
  const type = required(o, 'type', ROOT, callType);
  const call: Record<string, unknown> = { type };
  const spec = isSupportedOperatorCall(type) ? BODIES[type] : undefined;
  if (spec !== undefined) {
    if (isPresent(o[spec.field])) call[spec.field] = spec.decode(o[spec.field], `${ROOT}.${spec.field}`);
    else if (spec.required) fail(`${ROOT}.${spec.field}`, `is required for ${type}`);
  }
  return call as unknown as OperatorCall;
}

/** JSON text to an OperatorCall: malformed JSON is a ProtocolError too (`call: malformed JSON: ...`). */
export function parseOperatorCall(text: string): OperatorCall {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    fail(ROOT, `malformed JSON: ${(e as Error).message}`);
  }
  return decodeOperatorCall(json);
}
