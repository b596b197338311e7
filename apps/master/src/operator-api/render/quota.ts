/**
 * Weights and quotas as operators set them: `/weights` and `/quota` (v0), and the QuotaStatus
 * GET_QUOTA carries (v1). Mesos fills the deprecated `infos` (guarantees as scalar Resources)
 * alongside `configs`; so does Agora.
 */
import type { QuotaConfig, QuotaStatus, ScalarQuantities, WeightInfo } from '@agora/protocol';
import { type ResourceQuantities, UNRESERVED_ROLE } from '@agora/resources';
import { consumedQuotas } from '../../roles/consumption';
import type { ClusterView, RoleSettings } from './inputs';
import type { QuotaJson } from './json';

/** `/weights` GET and GET_WEIGHTS: every weight set, by role. */
export function renderWeights(settings: Pick<RoleSettings, 'weights'>): WeightInfo[] {
  return settings.weights.map(({ role, weight }) => ({ role, weight }));
}

/** GET_QUOTA's `status`: every quota set, by role. */
export function quotaStatus(settings: Pick<RoleSettings, 'quotas'>): QuotaStatus {
  return {
    infos: settings.quotas.map((q) => ({
      role: q.role,
      guarantee: Object.entries(q.guarantees.toRecord()).map(([name, value]) => ({ name, type: 'SCALAR' as const, scalar: { value } })),
    })),
    configs: settings.quotas.map((q) => quotaConfig(q.role, q.guarantees, q.limits)),
  };
}

/** `/quota`: the QuotaStatus, each config with what its role consumes now. */
export function renderQuota(cluster: ClusterView, settings: Pick<RoleSettings, 'quotas'>): QuotaJson {
  const status = quotaStatus(settings);
  const consumed = consumedQuotas(cluster, settings.quotas.map((q) => q.role).filter((r) => r !== UNRESERVED_ROLE));
  return {
    infos: status.infos,
    configs: status.configs.map((config) => ({ ...config, consumed: scalars(consumed.get(config.role)) })),
  };
}

function quotaConfig(role: string, guarantees: ResourceQuantities, limits: ResourceQuantities): QuotaConfig {
  return { role, guarantees: scalars(guarantees), limits: scalars(limits) };
}

/** `{"cpus": {"value": 1}}`, as protobuf JSON writes `map<string, Value.Scalar>`. */
function scalars(q: ResourceQuantities | undefined): ScalarQuantities {
  const out: ScalarQuantities = {};
  for (const [name, value] of Object.entries(q?.toRecord() ?? {})) out[name] = { value };
  return out;
}
