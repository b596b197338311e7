/**
 * The rules for what operators may set on roles (reference §4.2), as pure checks that throw
 * RoleConfigError with Mesos's wording, so `/weights`, UPDATE_WEIGHTS and UPDATE_QUOTA refuse the
 * same things the same way. Checks that need the cluster (consumption, capacity) are in
 * RolesService.
 */
import type { QuotaConfig, ScalarQuantities, WeightInfo } from '@agora/protocol';
import { ResourceParseError, ResourceQuantities, topLevelRole, UNRESERVED_ROLE, validateRole } from '@agora/resources';
import type { RoleQuota, RoleWeight } from '../registry';

/** An operator asked for a weight or quota that may not be set; the message says why. */
export class RoleConfigError extends Error {
  override readonly name = 'RoleConfigError';
}

const WEIGHTS = 'Failed to validate update weights request JSON';

/** Valid weights, roles trimmed as Mesos trims them; throws RoleConfigError at the first bad one. */
export function validateWeights(infos: readonly WeightInfo[]): RoleWeight[] {
  return infos.map(({ role: raw, weight }) => {
    const role = raw.trim();
    const problem = validateRole(role);
    if (problem !== undefined) throw new RoleConfigError(`${WEIGHTS}: Invalid role '${role}': ${problem}`);
    if (!(Number.isFinite(weight) && weight > 0)) {
      throw new RoleConfigError(`${WEIGHTS} for role '${role}': Invalid weight '${weight}': Weights must be positive`);
    }
    return { role, weight };
  });
}

/** Mesos caps quota values so its fixed-point arithmetic cannot overflow: 1 EB of mem/disk, 10^12 else. */
const MAX_MEGABYTES = 1024 ** 4;
const MAX_OTHER = 1e12;

/** A quota as the allocator and the registry take it. */
export interface ValidQuota {
  readonly role: string;
  readonly guarantees: ResourceQuantities;
  readonly limits: ResourceQuantities;
}

/**
 * A valid quota for a top-level role (nested quota is not supported yet), with guarantees no
 * larger than limits; throws RoleConfigError naming the field.
 */
export function validateQuotaConfig(config: QuotaConfig): ValidQuota {
  const role = config.role;
  const problem = validateRole(role);
  if (problem !== undefined) throw new RoleConfigError(`Invalid QuotaConfig: Invalid 'QuotaConfig.role': ${problem}`);
  if (role === UNRESERVED_ROLE) throw new RoleConfigError(`Invalid QuotaConfig: Invalid 'QuotaConfig.role': quota cannot be set on role '${UNRESERVED_ROLE}'`);
  if (topLevelRole(role) !== role) {
    throw new RoleConfigError(`Updating quota on nested role '${role}' is not supported yet: quota is set on top-level roles only ('${topLevelRole(role)}')`);
  }
  const guarantees = quantities(config.guarantees ?? {}, 'guarantees');
  const limits = quantities(config.limits ?? {}, 'limits');
  for (const name of guarantees.names()) {
    if (limits.has(name) && guarantees.get(name) > limits.get(name)) {
      throw new RoleConfigError(
        `Invalid QuotaConfig: 'QuotaConfig.guarantees' {${guarantees.toString()}} is not contained within the 'QuotaConfig.limits' {${limits.toString()}}`,
      );
    }
  }
  return { role, guarantees, limits };
}

function quantities(values: ScalarQuantities, field: 'guarantees' | 'limits'): ResourceQuantities {
  const record: Record<string, number> = {};
  for (const [name, { value }] of Object.entries(values)) {
    const max = name === 'mem' || name === 'disk' ? MAX_MEGABYTES : MAX_OTHER;
    if (!Number.isFinite(value) || value < 0) {
      throw new RoleConfigError(`Invalid QuotaConfig: Invalid 'QuotaConfig.${field}': {'${name}': ${value}} must be a non-negative number`);
    }
    if (value > max) {
      throw new RoleConfigError(`Invalid QuotaConfig: Invalid 'QuotaConfig.${field}': {'${name}': ${value}} is invalid: values greater than ${max} are not supported`);
    }
    record[name] = value;
  }
  try {
    return ResourceQuantities.fromRecord(record);
  } catch (e) {
    if (e instanceof ResourceParseError) throw new RoleConfigError(`Invalid QuotaConfig: Invalid 'QuotaConfig.${field}': ${e.message}`);
    throw e;
  }
}

/** The registry's form of a quota: natural units by name. */
export function toRoleQuota(quota: ValidQuota): RoleQuota {
  return { role: quota.role, guarantees: quota.guarantees.toRecord(), limits: quota.limits.toRecord() };
}

/** A quota read back from the registry, checked again (a row written by a newer master may break today's rules). */
export function fromRoleQuota(quota: RoleQuota): ValidQuota {
  const scalars = (record: Readonly<Record<string, number>>): ScalarQuantities =>
    Object.fromEntries(Object.entries(record).map(([name, value]) => [name, { value }]));
  return validateQuotaConfig({ role: quota.role, guarantees: scalars(quota.guarantees), limits: scalars(quota.limits) });
}

/** Both empty: the default quota (no guarantees, no limits), which is no quota at all. */
export function isDefaultQuota(quota: ValidQuota): boolean {
  return quota.guarantees.size === 0 && quota.limits.size === 0;
}
