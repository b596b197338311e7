/**
 * Conversion between `Resource` and the Mesos v1 JSON form.
 *
 * Parsing is liberal in what it accepts: both reservation formats (the `reservations` stack of
 * RESERVATION_REFINEMENT, and the older `role` + `reservation`), `null` for any optional field,
 * numbers sent as strings; unknown fields are ignored. It is strict about meaning: anything
 * that would change what the resource is (negative scalar, malformed range, role that does not
 * validate, conflicting formats) is rejected with a ResourceParseError naming the field path.
 *
 * Printing is strict in what it sends: `toV1` emits the post-refinement form, `toV1Legacy` the
 * pre-refinement one for frameworks without RESERVATION_REFINEMENT.
 */
import { InvalidResourceError, ResourceParseError } from './errors';
import { compactResource } from './make';
import { checkReservationStack } from './normalize';
import { UNRESERVED_ROLE, type DiskInfo, type Label, type Reservation, type Resource, type ValueRange } from './resource';
import { Resources } from './resources';
import { validateRole } from './roles';
import { milliFromNumber, milliToNumber } from './units';
import type { V1DiskInfo, V1Labels, V1LegacyReservationInfo, V1ReservationInfo, V1Resource } from './v1-types';

type Json = Record<string, unknown>;

function fail(path: string, reason: string): never {
  throw new ResourceParseError(`invalid resource at ${path}: ${reason}`, path);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}...` : v);
  return typeof v === 'object' ? 'an object' : String(v);
}

const present = (v: unknown): boolean => v !== undefined && v !== null;

function object(v: unknown, path: string): Json {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(path, `expected an object, got ${describe(v)}`);
  return v as Json;
}

function optObject(o: Json, field: string, path: string): Json | undefined {
  return present(o[field]) ? object(o[field], `${path}.${field}`) : undefined;
}

function array(v: unknown, path: string): unknown[] {
  if (!Array.isArray(v)) fail(path, `expected an array, got ${describe(v)}`);
  return v;
}

function string(v: unknown, path: string): string {
  if (typeof v !== 'string') fail(path, `expected a string, got ${describe(v)}`);
  return v;
}

function optString(o: Json, field: string, path: string): string | undefined {
  return present(o[field]) ? string(o[field], `${path}.${field}`) : undefined;
}

/** A number, or a string holding one (protobuf JSON writes 64-bit integers as strings). */
function number(v: unknown, path: string): number {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  if (typeof n !== 'number' || Number.isNaN(n)) fail(path, `expected a number, got ${describe(v)}`);
  return n;
}

function role(v: unknown, path: string, allowStar: boolean): string {
  const r = string(v, path);
  const bad = !allowStar && r === UNRESERVED_ROLE ? "cannot reserve for role '*'" : validateRole(r);
  if (bad !== undefined) fail(path, bad);
  return r;
}

function labels(v: unknown, path: string): Label[] | undefined {
  if (!present(v)) return undefined;
  const list = object(v, path).labels;
  if (!present(list)) return undefined;
  const out = array(list, `${path}.labels`).map((item, i) => {
    const p = `${path}.labels[${i}]`;
    const l = object(item, p);
    const value = optString(l, 'value', p);
    const key = string(l.key, `${p}.key`);
    return value === undefined ? { key } : { key, value };
  });
  return out.length === 0 ? undefined : out;
}

function reservation(v: unknown, path: string, type: Reservation['type'], roleName: string): Reservation {
  const o = object(v, path);
  const res: { -readonly [K in keyof Reservation]: Reservation[K] } = { type, role: roleName };
  const principal = optString(o, 'principal', path);
  if (principal !== undefined) res.principal = principal;
  const l = labels(o.labels, `${path}.labels`);
  if (l !== undefined) res.labels = l;
  return res;
}

function reservationStack(o: Json, path: string): Reservation[] {
  const refined = present(o.reservations) ? array(o.reservations, `${path}.reservations`) : [];
  const legacyRole = present(o.role) ? role(o.role, `${path}.role`, true) : undefined;
  if (refined.length > 0) {
    if (present(o.reservation)) fail(`${path}.reservation`, "must not be set together with 'reservations'");
    const stack = refined.map((item, i) => {
      const p = `${path}.reservations[${i}]`;
      const level = object(item, p);
      const type = string(level.type, `${p}.type`);
      if (type !== 'STATIC' && type !== 'DYNAMIC') fail(`${p}.type`, `expected STATIC or DYNAMIC, got ${describe(type)}`);
      return reservation(level, p, type, role(level.role, `${p}.role`, false));
    });
    const bad = checkReservationStack(stack);
    if (bad !== undefined) fail(`${path}.reservations`, bad);
    if (legacyRole !== undefined && legacyRole !== stack[stack.length - 1].role) {
      fail(`${path}.role`, `'${legacyRole}' contradicts 'reservations', whose innermost role is '${stack[stack.length - 1].role}'`);
    }
    return stack;
  }
  if (legacyRole === undefined || legacyRole === UNRESERVED_ROLE) {
    if (present(o.reservation)) fail(`${path}.reservation`, "a dynamic reservation needs a 'role' other than '*'");
    return [];
  }
  if (present(o.reservation)) return [reservation(o.reservation, `${path}.reservation`, 'DYNAMIC', legacyRole)];
  return [{ type: 'STATIC', role: legacyRole }];
}

function scalarValue(o: Json, path: string): number {
  const scalar = optObject(o, 'scalar', path) ?? fail(`${path}.scalar`, 'missing for a SCALAR resource');
  const p = `${path}.scalar.value`;
  const parsed = milliFromNumber(number(scalar.value, p));
  if (!parsed.ok) fail(p, parsed.reason);
  return parsed.milli;
}

function rangesValue(o: Json, path: string): ValueRange[] {
  const ranges = optObject(o, 'ranges', path) ?? fail(`${path}.ranges`, 'missing for a RANGES resource');
  if (!present(ranges.range)) return [];
  return array(ranges.range, `${path}.ranges.range`).map((item, i) => {
    const p = `${path}.ranges.range[${i}]`;
    const r = object(item, p);
    const bound = (field: 'begin' | 'end'): number => {
      const n = number(r[field], `${p}.${field}`);
      if (!Number.isSafeInteger(n) || n < 0) fail(`${p}.${field}`, `expected a non-negative integer, got ${describe(r[field])}`);
      return n;
    };
    const begin = bound('begin');
    const end = bound('end');
    if (begin > end) fail(p, `begin ${begin} > end ${end}`);
    return { begin, end };
  });
}

function setValue(o: Json, path: string): string[] {
  const set = optObject(o, 'set', path) ?? fail(`${path}.set`, 'missing for a SET resource');
  if (!present(set.item)) return [];
  return array(set.item, `${path}.set.item`).map((item, i) => string(item, `${path}.set.item[${i}]`));
}

function disk(o: Json, path: string): DiskInfo | undefined {
  const d = optObject(o, 'disk', path);
  if (d === undefined) return undefined;
  const p = `${path}.disk`;
  const out: { -readonly [K in keyof DiskInfo]: DiskInfo[K] } = {};
  const persistence = optObject(d, 'persistence', p);
  if (persistence !== undefined) {
    out.persistenceId = string(persistence.id, `${p}.persistence.id`);
    const principal = optString(persistence, 'principal', `${p}.persistence`);
    if (principal !== undefined) out.persistencePrincipal = principal;
  }
  const volume = optObject(d, 'volume', p);
  if (volume !== undefined) {
    out.containerPath = string(volume.container_path, `${p}.volume.container_path`);
    const mode = optString(volume, 'mode', `${p}.volume`);
    if (mode !== undefined && mode !== 'RW' && mode !== 'RO') fail(`${p}.volume.mode`, `expected RW or RO, got ${describe(mode)}`);
    if (mode !== undefined) out.mode = mode;
  }
  const source = optObject(d, 'source', p);
  if (source !== undefined) {
    const type = string(source.type, `${p}.source.type`);
    if (type !== 'PATH' && type !== 'MOUNT') fail(`${p}.source.type`, `expected PATH or MOUNT, got ${describe(type)}`);
    const holder = optObject(source, type === 'PATH' ? 'path' : 'mount', `${p}.source`);
    const root = holder === undefined ? undefined : optString(holder, 'root', `${p}.source.${type === 'PATH' ? 'path' : 'mount'}`);
    out.source = root === undefined ? { type } : { type, root };
  }
  return out;
}

/** One v1 resource; `path` names it in errors. Throws ResourceParseError. */
export function resourceFromV1(json: unknown, path = 'resource'): Resource {
  const o = object(json, path);
  const name = string(o.name, `${path}.name`);
  if (name === '') fail(`${path}.name`, 'must not be empty');
  const type = string(o.type, `${path}.type`);
  const reservations = reservationStack(o, path);
  const allocation = optObject(o, 'allocation_info', path);
  const allocationRole = allocation !== undefined && present(allocation.role) ? role(allocation.role, `${path}.allocation_info.role`, true) : undefined;
  const common = {
    name,
    reservations,
    allocationRole,
    revocable: optObject(o, 'revocable', path) !== undefined,
    shared: optObject(o, 'shared', path) !== undefined,
    disk: disk(o, path),
  };
  switch (type) {
    case 'SCALAR':
      return compactResource({ ...common, kind: 'SCALAR', milli: scalarValue(o, path) });
    case 'RANGES':
      return compactResource({ ...common, kind: 'RANGES', ranges: rangesValue(o, path) });
    case 'SET':
      return compactResource({ ...common, kind: 'SET', items: setValue(o, path) });
    default:
      return fail(`${path}.type`, `expected SCALAR, RANGES or SET, got ${describe(type)}`);
  }
}

/** A JSON array of v1 resources (paths read `resources[i]...`, or `<path>[i]...`). */
export function fromV1(json: unknown, path = 'resources'): Resources {
  return Resources.of(array(json, path).map((item, i) => resourceFromV1(item, `${path}[${i}]`)));
}

// ---- printing ---------------------------------------------------------------------------------

function v1Labels(labels: readonly Label[] | undefined): V1Labels | undefined {
  if (labels === undefined || labels.length === 0) return undefined;
  return { labels: labels.map((l) => (l.value === undefined ? { key: l.key } : { key: l.key, value: l.value })) };
}

function v1Reservation(res: Reservation): V1ReservationInfo {
  const out: V1ReservationInfo = { type: res.type, role: res.role };
  if (res.principal !== undefined) out.principal = res.principal;
  const l = v1Labels(res.labels);
  if (l !== undefined) out.labels = l;
  return out;
}

function v1Disk(d: DiskInfo): V1DiskInfo {
  const out: V1DiskInfo = {};
  if (d.persistenceId !== undefined) {
    out.persistence = d.persistencePrincipal === undefined ? { id: d.persistenceId } : { id: d.persistenceId, principal: d.persistencePrincipal };
  }
  if (d.containerPath !== undefined) {
    out.volume = d.mode === undefined ? { container_path: d.containerPath } : { container_path: d.containerPath, mode: d.mode };
  }
  if (d.source !== undefined) {
    const holder = d.source.root === undefined ? undefined : { root: d.source.root };
    out.source = { type: d.source.type };
    if (holder !== undefined) out.source[d.source.type === 'PATH' ? 'path' : 'mount'] = holder;
  }
  return out;
}

function v1Base(r: Resource): V1Resource {
  const out: V1Resource = { name: r.name, type: r.kind };
  switch (r.kind) {
    case 'SCALAR':
      out.scalar = { value: milliToNumber(r.milli ?? 0) };
      break;
    case 'RANGES':
      out.ranges = { range: (r.ranges ?? []).map((x) => ({ begin: x.begin, end: x.end })) };
      break;
    case 'SET':
      out.set = { item: [...(r.items ?? [])] };
      break;
  }
  return out;
}

function v1Tail(r: Resource, out: V1Resource): V1Resource {
  if (r.allocationRole !== undefined) out.allocation_info = { role: r.allocationRole };
  if (r.disk !== undefined) out.disk = v1Disk(r.disk);
  if (r.revocable === true) out.revocable = {};
  if (r.shared === true) out.shared = {};
  return out;
}

/** Post-refinement form: the reservation stack in `reservations` (omitted when unreserved). */
export function resourceToV1(r: Resource): V1Resource {
  const out = v1Base(r);
  if (r.reservations.length > 0) out.reservations = r.reservations.map(v1Reservation);
  return v1Tail(r, out);
}

/**
 * Pre-refinement form: `role` (`*` when unreserved) and, for a dynamic reservation,
 * `reservation`. A refined stack (two levels or more) has no such form: Mesos hides refined
 * resources from frameworks without RESERVATION_REFINEMENT, so filter them out first; this
 * throws InvalidResourceError if one gets here.
 */
export function resourceToV1Legacy(r: Resource): V1Resource {
  if (r.reservations.length > 1) {
    throw new InvalidResourceError(`resource '${r.name}' has a refined reservation, which the pre-refinement format cannot express`);
  }
  const out = v1Base(r);
  const res = r.reservations[0];
  out.role = res === undefined ? UNRESERVED_ROLE : res.role;
  if (res !== undefined && res.type === 'DYNAMIC') {
    const legacy: V1LegacyReservationInfo = {};
    if (res.principal !== undefined) legacy.principal = res.principal;
    const l = v1Labels(res.labels);
    if (l !== undefined) legacy.labels = l;
    out.reservation = legacy;
  }
  return v1Tail(r, out);
}

export function toV1(resources: Iterable<Resource>): V1Resource[] {
  return Array.from(resources, resourceToV1);
}

export function toV1Legacy(resources: Iterable<Resource>): V1Resource[] {
  return Array.from(resources, resourceToV1Legacy);
}

/** True when the resource's stack has more than one level (only RESERVATION_REFINEMENT frameworks may see it). */
export function isRefined(r: Resource): boolean {
  return r.reservations.length > 1;
}
