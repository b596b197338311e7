/**
 * @agora/resources — the resource model and its arithmetic. Pure: no I/O, no clock, no
 * randomness. See ../README.md for the vocabulary and the flow.
 */
export {
  UNRESERVED_ROLE,
  type DiskInfo,
  type Label,
  type Reservation,
  type Resource,
  type ResourceKind,
  type ValueRange,
} from './resource';
export { InvalidResourceError, ResourceParseError } from './errors';
export { isAncestorOrSelf, parentRole, roleAncestors, topLevelRole, validateRole } from './roles';
export { ResourceQuantities } from './quantities';
export { Resources, type ResourceOptions, type ResourcePredicate } from './resources';
export { identityKey, reservationRole, sameIdentity } from './identity';
export { formatMilli, milliFromNumber, milliFromText, milliToNumber, MILLI_PER_UNIT, type MilliResult } from './units';
export { formatResource, formatResources, parseResourceList } from './text';
export { fromV1, isRefined, resourceFromV1, resourceToV1, resourceToV1Legacy, toV1, toV1Legacy } from './v1';
export type {
  V1DiskInfo,
  V1Label,
  V1Labels,
  V1LegacyReservationInfo,
  V1Range,
  V1ReservationInfo,
  V1Resource,
  V1ValueType,
} from './v1-types';
export { toV0, type V0Resources } from './v0';
