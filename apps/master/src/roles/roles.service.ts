import { Injectable, Logger } from '@nestjs/common';
import type { QuotaConfig, WeightInfo } from '@agora/protocol';
import { ResourceQuantities } from '@agora/resources';
import { AllocationService } from '../allocation/allocation.service';
import { ClusterState } from '../cluster/cluster-state';
import { OffersService } from '../offers/offers.service';
import { RegistryService, type RoleWeight } from '../registry';
import { clusterCapacity, consumedQuota } from './consumption';
import {
  fromRoleQuota,
  isDefaultQuota,
  RoleConfigError,
  toRoleQuota,
  validateQuotaConfig,
  validateWeights,
  type ValidQuota,
} from './role-config';

/** Roles without a configured weight weigh this much (Mesos's DEFAULT_WEIGHT). */
export const DEFAULT_WEIGHT = 1;

/**
 * The weights and quotas operators give roles (reference §4.1-4.2), durable in the registry
 * (DESIGN §4) and applied to the allocator. An update is validated, written to the registry,
 * then applied: in memory, to the allocator, and by rescinding outstanding offers so the next
 * cycle divides the cluster under the new settings. If the registry write fails nothing changes.
 */
@Injectable()
export class RolesService {
  private readonly logger = new Logger('roles');
  private readonly weights = new Map<string, number>();
  private readonly quotas = new Map<string, ValidQuota>();

  constructor(
    private readonly state: ClusterState,
    private readonly allocation: AllocationService,
    private readonly offers: OffersService,
    private readonly registry: RegistryService,
  ) {}

  /**
   * Taking office: the weights and quotas in the registry go to the allocator, before agents
   * re-register and schedulers subscribe. A row today's rules refuse is logged and skipped.
   */
  async recover(): Promise<void> {
    const [weights, quotas] = await Promise.all([this.registry.listWeights(), this.registry.listQuotas()]);
    const valid: RoleWeight[] = [];
    for (const w of weights) {
      try {
        valid.push(...validateWeights([w]));
      } catch (e) {
        this.logger.warn(`registry: ignoring the weight of role '${w.role}': ${(e as Error).message}`);
      }
    }
    for (const w of valid) this.weights.set(w.role, w.weight);
    for (const q of quotas) {
      try {
        this.quotas.set(q.role, fromRoleQuota(q));
      } catch (e) {
        this.logger.warn(`registry: ignoring the quota of role '${q.role}': ${(e as Error).message}`);
      }
    }
    this.allocation.update((a) => {
      a.updateWeights(valid);
      for (const q of this.quotas.values()) a.updateQuota(q.role, { guarantees: q.guarantees, limits: q.limits });
    });
    if (this.weights.size + this.quotas.size > 0) {
      this.logger.log(`recovered the weights of ${this.weights.size} role(s) and the quotas of ${this.quotas.size}`);
    }
  }

  /** Configured weights, by role name. */
  weightList(): RoleWeight[] {
    return [...this.weights].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([role, weight]) => ({ role, weight }));
  }

  weightOf(role: string): number {
    return this.weights.get(role) ?? DEFAULT_WEIGHT;
  }

  /** Configured quotas, by role name. */
  quotaList(): ValidQuota[] {
    return [...this.quotas.values()].sort((a, b) => (a.role < b.role ? -1 : a.role > b.role ? 1 : 0));
  }

  /**
   * `/weights` PUT and UPDATE_WEIGHTS: all or nothing. Throws RoleConfigError for a bad role or
   * weight. As in Mesos, outstanding offers are rescinded when a reweighed role has frameworks.
   */
  async updateWeights(infos: readonly WeightInfo[]): Promise<void> {
    const weights = validateWeights(infos);
    if (weights.length === 0) return;
    await this.registry.setWeights(weights);
    for (const { role, weight } of weights) this.weights.set(role, weight);
    this.allocation.update((a) => a.updateWeights(weights), true);
    const roles = new Set(weights.map((w) => w.role));
    const inUse = [...this.state.frameworks.values()].some((fw) => fw.roles.some((r) => roles.has(r)));
    if (inUse) this.rescindOffers('role weights changed');
    this.logger.log(`weights set: ${weights.map((w) => `${w.role}=${w.weight}`).join(', ')}`);
  }

  /**
   * UPDATE_QUOTA: all or nothing. Throws RoleConfigError for an invalid config (nested roles are
   * refused for now), and, unless `force`, for a limit below what the role already consumes or
   * guarantees the cluster cannot hold. A config with no guarantees and no limits removes the
   * role's quota.
   */
  async updateQuotas(configs: readonly QuotaConfig[], force: boolean): Promise<void> {
    const quotas = configs.map(validateQuotaConfig);
    if (quotas.length === 0) return;
    if (!force) this.checkAgainstCluster(quotas);
    await this.registry.setQuotas(quotas.map(toRoleQuota));
    for (const q of quotas) {
      if (isDefaultQuota(q)) this.quotas.delete(q.role);
      else this.quotas.set(q.role, q);
    }
    this.allocation.update((a) => {
      for (const q of quotas) a.updateQuota(q.role, isDefaultQuota(q) ? undefined : { guarantees: q.guarantees, limits: q.limits });
    }, true);
    // Best effort, as Mesos: offers made under the old quotas go back and are made again.
    this.rescindOffers('role quotas changed');
    this.logger.log(`quotas set for ${quotas.map((q) => q.role).join(', ')}${force ? ' (forced)' : ''}`);
  }

  private checkAgainstCluster(quotas: readonly ValidQuota[]): void {
    for (const q of quotas) {
      const consumed = consumedQuota(this.state, q.role);
      const over = q.limits.names().filter((name) => consumed.get(name) > q.limits.get(name));
      if (over.length > 0) {
        throw new RoleConfigError(
          `Invalid QuotaConfig: Role '${q.role}' is already consuming '${consumed.toString()}'; this is more than the requested limits '${q.limits.toString()}' (use 'force' flag to bypass this check)`,
        );
      }
    }
    const after = new Map(this.quotas);
    for (const q of quotas) after.set(q.role, q);
    let guaranteed = ResourceQuantities.EMPTY;
    for (const q of after.values()) guaranteed = guaranteed.add(q.guarantees);
    const capacity = clusterCapacity(this.state);
    if (!capacity.contains(guaranteed)) {
      throw new RoleConfigError(
        `Invalid QuotaConfig: total quota guarantees '${guaranteed.toString()}' exceed cluster capacity '${capacity.toString()}' (use 'force' flag to bypass this check)`,
      );
    }
  }

  private rescindOffers(why: string): void {
    for (const id of [...this.state.offers.keys()]) this.offers.rescind(id, why);
  }
}
