import { ResourceQuantities } from '@agora/resources';
import { ClusterBuilder } from '../testing/cluster-builder';
import type { RoleSettings } from './inputs';
import { quotaStatus, renderQuota, renderWeights } from './quota';

const settings: RoleSettings = {
  weights: [{ role: 'batch', weight: 0.5 }, { role: 'web', weight: 2 }],
  quotas: [
    { role: 'batch', guarantees: ResourceQuantities.EMPTY, limits: ResourceQuantities.parse('gpus:0') },
    { role: 'web', guarantees: ResourceQuantities.parse('cpus:1;mem:512'), limits: ResourceQuantities.parse('cpus:4') },
  ],
};

describe('weights and quota renderers', () => {
  it('renders weights as WeightInfo', () => {
    expect(renderWeights(settings)).toEqual([{ role: 'batch', weight: 0.5 }, { role: 'web', weight: 2 }]);
    expect(renderWeights({ weights: [] })).toEqual([]);
  });

  it('renders QuotaStatus with the deprecated infos (guarantees as scalar Resources) and the configs', () => {
    expect(quotaStatus(settings)).toEqual({
      infos: [
        { role: 'batch', guarantee: [] },
        {
          role: 'web',
          guarantee: [
            { name: 'cpus', type: 'SCALAR', scalar: { value: 1 } },
            { name: 'mem', type: 'SCALAR', scalar: { value: 512 } },
          ],
        },
      ],
      configs: [
        { role: 'batch', guarantees: {}, limits: { gpus: { value: 0 } } },
        { role: 'web', guarantees: { cpus: { value: 1 }, mem: { value: 512 } }, limits: { cpus: { value: 4 } } },
      ],
    });
  });

  it('renders /quota with what each role consumes', () => {
    const c = new ClusterBuilder();
    c.agent('a1', { resources: 'cpus:8;mem:4096' });
    c.framework('f1', { roles: ['web'] });
    c.task('f1', 'a1', 't1', { resources: 'cpus:2;mem:256' });
    const { configs } = renderQuota(c.state, settings);
    expect(configs.map((q) => [q.role, q.consumed])).toEqual([
      ['batch', {}],
      ['web', { cpus: { value: 2 }, mem: { value: 256 } }],
    ]);
  });
});
