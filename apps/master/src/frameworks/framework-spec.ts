/**
 * What a FrameworkInfo means to the master: its roles (validated as Mesos does), capabilities,
 * and the allocator's FrameworkSpec. Pure; the rules of reference §1.3 and §1.5.
 */
import type {
  AttributeConstraint as AllocatorConstraint,
  FrameworkSpec,
  OfferConstraints as AllocatorOfferConstraints,
} from '@agora/allocator';
import type { AttributeConstraint, FrameworkInfo, OfferConstraints } from '@agora/protocol';
import { ResourceQuantities, validateRole } from '@agora/resources';

/** A SUBSCRIBE or UPDATE_FRAMEWORK the master refuses; the message goes to the scheduler verbatim. */
export class FrameworkInfoError extends Error {
  override readonly name = 'FrameworkInfoError';
}

export function capabilitiesOf(info: FrameworkInfo): Set<string> {
  return new Set((info.capabilities ?? []).map((c) => c.type));
}

/** The roles a framework subscribes to: `roles` with MULTI_ROLE, else the single `role` (default `*`). */
export function rolesOf(info: FrameworkInfo): string[] {
  const multiRole = capabilitiesOf(info).has('MULTI_ROLE');
  let roles: string[];
  if (multiRole) {
    if (info.role !== undefined && info.role !== '*' && info.role !== '') {
      throw new FrameworkInfoError("'FrameworkInfo.role' must not be set together with the MULTI_ROLE capability; use 'FrameworkInfo.roles'");
    }
    roles = info.roles ?? [];
  } else {
    if (info.roles !== undefined && info.roles.length > 0) {
      throw new FrameworkInfoError("'FrameworkInfo.roles' needs the MULTI_ROLE capability");
    }
    roles = [info.role === undefined || info.role === '' ? '*' : info.role];
  }
  const seen = new Set<string>();
  for (const role of roles) {
    const problem = validateRole(role);
    if (problem !== undefined) throw new FrameworkInfoError(`Role '${role}' is invalid: ${problem}`);
    if (seen.has(role)) throw new FrameworkInfoError(`'FrameworkInfo.roles' contains duplicate role '${role}'`);
    seen.add(role);
  }
  return roles;
}


/** Suppressed roles must be roles of the framework. */
export function suppressedRolesOf(roles: readonly string[], suppressed: readonly string[] | undefined): Set<string> {
  const out = new Set<string>();
  for (const role of suppressed ?? []) {
    if (!roles.includes(role)) throw new FrameworkInfoError(`Suppressed role '${role}' is not contained in the list of roles`);
    out.add(role);
  }
  return out;
}

export function allocatorConstraints(constraints: OfferConstraints | undefined, roles: readonly string[]): AllocatorOfferConstraints | undefined {
  const byRole = constraints?.role_constraints;
  if (byRole === undefined) return undefined;
  const out: Record<string, { groups: { attributeConstraints: AllocatorConstraint[] }[] }> = {};
  for (const [role, { groups = [] }] of Object.entries(byRole)) {
    // Constraints for roles the framework is not subscribed to are ignored (Mesos 1.11).
    if (!roles.includes(role)) continue;
    out[role] = {
      groups: groups.map((g, i) => {
        const list = g.attribute_constraints ?? [];
        if (list.length === 0) throw new FrameworkInfoError(`Offer constraint group ${i} of role '${role}' has no constraints`);
        return { attributeConstraints: list.map(toAllocatorConstraint) };
      }),
    };
  }
  return out;
}

function toAllocatorConstraint(c: AttributeConstraint): AllocatorConstraint {
  const selector = 'attribute_name' in c.selector
    ? { attributeName: c.selector.attribute_name }
    : { pseudoattribute: c.selector.pseudoattribute_type };
  const p = c.predicate;
  const predicate =
    'exists' in p ? { exists: true as const }
      : 'not_exists' in p ? { notExists: true as const }
        : 'text_equals' in p ? { textEquals: p.text_equals.value }
          : 'text_not_equals' in p ? { textNotEquals: p.text_not_equals.value }
            : 'text_matches' in p ? { textMatches: p.text_matches.regex }
              : { textNotMatches: p.text_not_matches.regex };
  return { selector, predicate };
}

/** The allocator's view of a framework. */
export function frameworkSpec(
  id: string,
  info: FrameworkInfo,
  roles: readonly string[],
  suppressed: ReadonlySet<string>,
  constraints: OfferConstraints | undefined,
): FrameworkSpec {
  const caps = capabilitiesOf(info);
  const minAllocatable: Record<string, ResourceQuantities[]> = {};
  for (const [role, filters] of Object.entries(info.offer_filters ?? {})) {
    const sets = filters.min_allocatable_resources?.quantities;
    if (sets === undefined) continue;
    minAllocatable[role] = sets.map((s) =>
      ResourceQuantities.fromRecord(Object.fromEntries(Object.entries(s.quantities ?? {}).map(([k, v]) => [k, v.value]))),
    );
  }
  return {
    id,
    roles,
    suppressedRoles: [...suppressed],
    offerConstraints: allocatorConstraints(constraints, roles),
    minAllocatable,
    capabilities: {
      gpuResources: caps.has('GPU_RESOURCES'),
      multiRole: caps.has('MULTI_ROLE'),
      revocableResources: caps.has('REVOCABLE_RESOURCES'),
      sharedResources: caps.has('SHARED_RESOURCES'),
      reservationRefinement: caps.has('RESERVATION_REFINEMENT'),
      regionAware: caps.has('REGION_AWARE'),
    },
  };
}
