/**
 * Decoders for the shared Mesos messages (mesos-types.ts): ids, labels, attributes, resources,
 * FrameworkInfo, Filters, OfferConstraints. Each takes the value and its path and returns the
 * typed message with only the known, present fields; bad input throws ProtocolError at the path.
 */
import { ResourceParseError, resourceFromV1, resourceToV1 } from '@agora/resources';
import { ProtocolError } from '../errors';
import {
  arrayOf,
  boolean,
  compact,
  type Decoder,
  enumOf,
  fail,
  integer,
  isPresent,
  type JsonObject,
  mapOf,
  number,
  object,
  optional,
  required,
  string,
} from '../fields';
import {
  type AgentInfo,
  type Attribute,
  type AttributeConstraint,
  type AttributePredicate,
  type AttributeSelector,
  type DomainInfo,
  type DurationInfo,
  FRAMEWORK_CAPABILITIES,
  type Filters,
  type FrameworkInfo,
  type Id,
  type Labels,
  type OfferConstraints,
  type OfferFilters,
  type Resource,
  type ScalarQuantities,
} from './mesos-types';

export const id: Decoder<Id> = (v, path) => ({ value: required(object(v, path), 'value', path, string) });

export const ids: Decoder<Id[]> = arrayOf(id);

export const strings: Decoder<string[]> = arrayOf(string);

export const duration: Decoder<DurationInfo> = (v, path) => ({
  nanoseconds: required(object(v, path), 'nanoseconds', path, integer),
});

export const labels: Decoder<Labels> = (v, path) => {
  const o = object(v, path);
  const list = optional(o, 'labels', path, (l, p) =>
    arrayOf((item, q) => {
      const label = object(item, q);
      return compact({ key: required(label, 'key', q, string), value: optional(label, 'value', q, string) });
    })(l, p),
  );
  return { labels: list ?? [] };
};

/**
 * One resource, validated by @agora/resources and written back in its canonical v1 form (the
 * `reservations[]` stack, numbers as numbers), so everything downstream reads one format.
 */
export const resource: Decoder<Resource> = (v, path) => {
  try {
    return resourceToV1(resourceFromV1(v, path));
  } catch (e) {
    if (!(e instanceof ResourceParseError)) throw e;
    const where = e.input ?? path;
    const prefix = `invalid resource at ${where}: `;
    const reason = e.message.startsWith(prefix) ? e.message.slice(prefix.length) : e.message;
    throw new ProtocolError(where, reason, { cause: e });
  }
};

export const resources: Decoder<Resource[]> = arrayOf(resource);

const valueRanges = (v: unknown, path: string) => {
  const o = object(v, path);
  const list = optional(o, 'range', path, arrayOf((r, p) => {
    const range = object(r, p);
    return { begin: required(range, 'begin', p, integer), end: required(range, 'end', p, integer) };
  }));
  return { range: list ?? [] };
};

const ATTRIBUTE_TYPES = ['SCALAR', 'RANGES', 'SET', 'TEXT'] as const;

export const attribute: Decoder<Attribute> = (v, path) => {
  const o = object(v, path);
  const type = required(o, 'type', path, enumOf(ATTRIBUTE_TYPES));
  const out: Attribute = { name: required(o, 'name', path, string), type };
  switch (type) {
    case 'SCALAR':
      out.scalar = { value: required(required(o, 'scalar', path, object), 'value', `${path}.scalar`, number) };
      break;
    case 'RANGES':
      out.ranges = required(o, 'ranges', path, valueRanges);
      break;
    case 'SET':
      out.set = { item: optional(required(o, 'set', path, object), 'item', `${path}.set`, strings) ?? [] };
      break;
    case 'TEXT':
      out.text = { value: required(required(o, 'text', path, object), 'value', `${path}.text`, string) };
      break;
  }
  return out;
};

const name: Decoder<{ name: string }> = (v, path) => ({ name: required(object(v, path), 'name', path, string) });

export const domain: Decoder<DomainInfo> = (v, path) => {
  const o = object(v, path);
  return compact({
    fault_domain: optional(o, 'fault_domain', path, (f, p) => {
      const fd = object(f, p);
      return { region: required(fd, 'region', p, name), zone: required(fd, 'zone', p, name) };
    }),
  });
};

export const agentInfo: Decoder<AgentInfo> = (v, path) => {
  const o = object(v, path);
  return compact({
    hostname: required(o, 'hostname', path, string),
    port: optional(o, 'port', path, integer),
    resources: optional(o, 'resources', path, resources),
    attributes: optional(o, 'attributes', path, arrayOf(attribute)),
    id: optional(o, 'id', path, id),
    domain: optional(o, 'domain', path, domain),
  });
};

export const filters: Decoder<Filters> = (v, path) =>
  compact({ refuse_seconds: optional(object(v, path), 'refuse_seconds', path, number) });

const scalarQuantities: Decoder<ScalarQuantities> = mapOf((q, p) => ({ value: required(object(q, p), 'value', p, number) }));

const offerFilters: Decoder<OfferFilters> = (v, path) => {
  const o = object(v, path);
  return compact({
    min_allocatable_resources: optional(o, 'min_allocatable_resources', path, (m, p) => {
      const min = object(m, p);
      return compact({
        quantities: optional(min, 'quantities', p, arrayOf((q, qp) =>
          compact({ quantities: optional(object(q, qp), 'quantities', qp, scalarQuantities) }),
        )),
      });
    }),
  });
};

const capability = enumOf(FRAMEWORK_CAPABILITIES);

export const frameworkInfo: Decoder<FrameworkInfo> = (v, path) => {
  const o = object(v, path);
  return compact({
    user: required(o, 'user', path, string),
    name: required(o, 'name', path, string),
    id: optional(o, 'id', path, id),
    failover_timeout: optional(o, 'failover_timeout', path, number),
    checkpoint: optional(o, 'checkpoint', path, boolean),
    role: optional(o, 'role', path, string),
    roles: optional(o, 'roles', path, strings),
    hostname: optional(o, 'hostname', path, string),
    principal: optional(o, 'principal', path, string),
    webui_url: optional(o, 'webui_url', path, string),
    capabilities: optional(o, 'capabilities', path, arrayOf((c, p) => ({ type: required(object(c, p), 'type', p, capability) }))),
    labels: optional(o, 'labels', path, labels),
    offer_filters: optional(o, 'offer_filters', path, mapOf(offerFilters)),
  });
};

const PSEUDOATTRIBUTES = ['HOSTNAME', 'REGION', 'ZONE'] as const;

const selector: Decoder<AttributeSelector> = (v, path) => {
  const o = object(v, path);
  if (isPresent(o.attribute_name)) return { attribute_name: required(o, 'attribute_name', path, string) };
  if (isPresent(o.pseudoattribute_type)) {
    return { pseudoattribute_type: required(o, 'pseudoattribute_type', path, enumOf(PSEUDOATTRIBUTES)) };
  }
  return fail(path, "needs 'attribute_name' or 'pseudoattribute_type'");
};

/** The string `field` inside the sub-message `key` of `o`. */
function nested(o: JsonObject, key: string, field: string, path: string): string {
  return required(required(o, key, path, object), field, `${path}.${key}`, string);
}

const predicate: Decoder<AttributePredicate> = (v, path) => {
  const o = object(v, path);
  if (isPresent(o.exists)) return { exists: {} };
  if (isPresent(o.not_exists)) return { not_exists: {} };
  if (isPresent(o.text_equals)) return { text_equals: { value: nested(o, 'text_equals', 'value', path) } };
  if (isPresent(o.text_not_equals)) return { text_not_equals: { value: nested(o, 'text_not_equals', 'value', path) } };
  if (isPresent(o.text_matches)) return { text_matches: { regex: nested(o, 'text_matches', 'regex', path) } };
  if (isPresent(o.text_not_matches)) return { text_not_matches: { regex: nested(o, 'text_not_matches', 'regex', path) } };
  return fail(path, 'needs one of exists, not_exists, text_equals, text_not_equals, text_matches, text_not_matches');
};

const attributeConstraint: Decoder<AttributeConstraint> = (v, path) => {
  const o = object(v, path);
  return { selector: required(o, 'selector', path, selector), predicate: required(o, 'predicate', path, predicate) };
};

/** Shape only; the allocator checks the rules (non-empty groups, regex limits). */
export const offerConstraints: Decoder<OfferConstraints> = (v, path) => {
  const o = object(v, path);
  return compact({
    role_constraints: optional(o, 'role_constraints', path, mapOf((r, p) =>
      compact({
        groups: optional(object(r, p), 'groups', p, arrayOf((g, gp) =>
          compact({ attribute_constraints: optional(object(g, gp), 'attribute_constraints', gp, arrayOf(attributeConstraint)) }),
        )),
      }),
    )),
  });
};
