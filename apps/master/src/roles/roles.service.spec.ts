import 'reflect-metadata';
import type { Allocator } from '@agora/allocator';
import { AllocationService } from '../allocation/allocation.service';
import { Clock, type TimerHandle } from '../clock/clock';
import { loadMasterConfig } from '../config/master.config';
import { MasterMetrics } from '../metrics/master-metrics';
import { OffersService } from '../offers/offers.service';
import { ClusterBuilder, testMaster } from '../operator-api/testing/cluster-builder';
import type { RegistryService, RoleQuota, RoleWeight } from '../registry';
import { RoleConfigError } from './role-config';
import { RolesService } from './roles.service';

/** A clock whose timers never fire: these tests look at what one call does, not at cycles. */
class StillClock extends Clock {
  override now(): number {
    return 1_000;
  }
  override every(): TimerHandle {
    return { cancel: () => undefined };
  }
  override after(): TimerHandle {
    return { cancel: () => undefined };
  }
  override soon(): TimerHandle {
    return { cancel: () => undefined };
  }
}

/** The registry's role tables in memory; `failing` makes the next write throw. */
class MemoryRegistry {
  weights = new Map<string, number>();
  quotas = new Map<string, RoleQuota>();
  failing = false;

  async setWeights(weights: readonly RoleWeight[]): Promise<void> {
    this.check();
    for (const w of weights) this.weights.set(w.role, w.weight);
  }
  async listWeights(): Promise<RoleWeight[]> {
    return [...this.weights].map(([role, weight]) => ({ role, weight }));
  }
  async setQuotas(quotas: readonly RoleQuota[]): Promise<void> {
    this.check();
    for (const q of quotas) {
      if (Object.keys(q.guarantees).length + Object.keys(q.limits).length === 0) this.quotas.delete(q.role);
      else this.quotas.set(q.role, q);
    }
  }
  async listQuotas(): Promise<RoleQuota[]> {
    return [...this.quotas.values()];
  }
  private check(): void {
    if (this.failing) throw new Error('registry down');
  }
}

const scalars = (record: Record<string, number>) => Object.fromEntries(Object.entries(record).map(([k, value]) => [k, { value }]));

describe('RolesService', () => {
  let cluster: ClusterBuilder;
  let registry: MemoryRegistry;
  let allocator: Allocator;
  let roles: RolesService;

  beforeEach(() => {
    cluster = new ClusterBuilder();
    // 8 cpus and 2 GB in all; web runs a 2-cpu task and holds an offer.
    cluster.agent('a1', { resources: 'cpus:4;mem:1024' });
    cluster.agent('a2', { resources: 'cpus:4;mem:1024' });
    cluster.framework('f1', { roles: ['web'] });
    cluster.task('f1', 'a1', 't1', { resources: 'cpus:2;mem:256' });
    cluster.offer('o1', 'f1', 'a2', 'cpus:4;mem:1024');
    const clock = new StillClock();
    const config = loadMasterConfig({}, {});
    const allocation = new AllocationService(clock, 1000);
    allocator = allocation.read((a) => a);
    const offers = new OffersService(cluster.state, allocation, testMaster(), clock, new MasterMetrics(), config);
    registry = new MemoryRegistry();
    roles = new RolesService(cluster.state, allocation, offers, registry as unknown as RegistryService);
  });

  describe('weights', () => {
    it('are written to the registry, kept, given to the allocator, and outstanding offers rescinded', async () => {
      const updateWeights = jest.spyOn(allocator, 'updateWeights');
      await roles.updateWeights([{ role: 'web', weight: 3 }, { role: 'batch', weight: 0.5 }]);
      expect([...registry.weights]).toEqual([['web', 3], ['batch', 0.5]]);
      expect(roles.weightList()).toEqual([{ role: 'batch', weight: 0.5 }, { role: 'web', weight: 3 }]);
      expect(roles.weightOf('web')).toBe(3);
      expect(roles.weightOf('unknown')).toBe(1);
      expect(updateWeights).toHaveBeenCalledWith([{ role: 'web', weight: 3 }, { role: 'batch', weight: 0.5 }]);
      expect(cluster.state.offers.size).toBe(0);
    });

    it('leave offers alone when no reweighed role has frameworks', async () => {
      await roles.updateWeights([{ role: 'batch', weight: 2 }]);
      expect(cluster.state.offers.size).toBe(1);
    });

    it('are all or nothing: one bad weight refuses the call and nothing is written', async () => {
      await expect(roles.updateWeights([{ role: 'web', weight: 2 }, { role: 'batch', weight: 0 }])).rejects.toThrow(RoleConfigError);
      expect(registry.weights.size).toBe(0);
      expect(roles.weightList()).toEqual([]);
    });

    it('change nothing when the registry write fails', async () => {
      registry.failing = true;
      await expect(roles.updateWeights([{ role: 'web', weight: 2 }])).rejects.toThrow('registry down');
      expect(roles.weightOf('web')).toBe(1);
      expect(cluster.state.offers.size).toBe(1);
    });
  });

  describe('quotas', () => {
    it('are written, kept and given to the allocator; an empty config removes a quota', async () => {
      const updateQuota = jest.spyOn(allocator, 'updateQuota');
      await roles.updateQuotas([{ role: 'web', guarantees: scalars({ cpus: 2 }), limits: scalars({ cpus: 6 }) }], false);
      expect(registry.quotas.get('web')).toEqual({ role: 'web', guarantees: { cpus: 2 }, limits: { cpus: 6 } });
      expect(roles.quotaList().map((q) => [q.role, q.guarantees.toString(), q.limits.toString()])).toEqual([['web', 'cpus:2', 'cpus:6']]);
      expect(updateQuota).toHaveBeenLastCalledWith('web', expect.objectContaining({}));
      expect(cluster.state.offers.size).toBe(0);
      await roles.updateQuotas([{ role: 'web' }], false);
      expect(roles.quotaList()).toEqual([]);
      expect(registry.quotas.size).toBe(0);
      expect(updateQuota).toHaveBeenLastCalledWith('web', undefined);
    });

    it('refuse a limit below what the role consumes, unless forced', async () => {
      const config = { role: 'web', limits: scalars({ cpus: 1 }) };
      await expect(roles.updateQuotas([config], false)).rejects.toThrow(
        "Invalid QuotaConfig: Role 'web' is already consuming 'cpus:2;mem:256'; this is more than the requested limits 'cpus:1' (use 'force' flag to bypass this check)",
      );
      expect(registry.quotas.size).toBe(0);
      await roles.updateQuotas([config], true);
      expect(roles.quotaList().map((q) => q.role)).toEqual(['web']);
    });

    it('refuse guarantees the cluster cannot hold, counting quotas already set, unless forced', async () => {
      await roles.updateQuotas([{ role: 'web', guarantees: scalars({ cpus: 5 }) }], false);
      await expect(roles.updateQuotas([{ role: 'batch', guarantees: scalars({ cpus: 4 }) }], false)).rejects.toThrow(
        "Invalid QuotaConfig: total quota guarantees 'cpus:9' exceed cluster capacity 'cpus:8;mem:2048' (use 'force' flag to bypass this check)",
      );
      await roles.updateQuotas([{ role: 'batch', guarantees: scalars({ cpus: 4 }) }], true);
      expect(roles.quotaList().map((q) => q.role)).toEqual(['batch', 'web']);
    });

    it('refuse nested roles, saying quota is for top-level roles only, even when forced', async () => {
      await expect(roles.updateQuotas([{ role: 'web/api', limits: scalars({ cpus: 1 }) }], true)).rejects.toThrow(/top-level roles only/);
    });

    it('are all or nothing: one bad config refuses the call', async () => {
      await expect(
        roles.updateQuotas([{ role: 'web', limits: scalars({ cpus: 8 }) }, { role: 'batch', guarantees: scalars({ cpus: 2 }), limits: scalars({ cpus: 1 }) }], false),
      ).rejects.toThrow(RoleConfigError);
      expect(registry.quotas.size).toBe(0);
      expect(roles.quotaList()).toEqual([]);
    });
  });

  describe('recover', () => {
    it('loads weights and quotas from the registry into the allocator, skipping rows today refuses', async () => {
      registry.weights.set('web', 2).set('bad role', 3);
      registry.quotas.set('batch', { role: 'batch', guarantees: { cpus: 1 }, limits: {} });
      registry.quotas.set('eng/web', { role: 'eng/web', guarantees: {}, limits: { cpus: 1 } });
      const updateWeights = jest.spyOn(allocator, 'updateWeights');
      const updateQuota = jest.spyOn(allocator, 'updateQuota');
      await roles.recover();
      expect(roles.weightList()).toEqual([{ role: 'web', weight: 2 }]);
      expect(roles.quotaList().map((q) => q.role)).toEqual(['batch']);
      expect(updateWeights).toHaveBeenCalledWith([{ role: 'web', weight: 2 }]);
      expect(updateQuota).toHaveBeenCalledTimes(1);
      expect(updateQuota).toHaveBeenCalledWith('batch', expect.objectContaining({}));
    });
  });
});
